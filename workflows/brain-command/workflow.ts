import {
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { BrainActivities } from '../../activities/brain/index.js';
import {
  actsOnTargetSet,
  compensationsToRun,
  pendingStepRecord,
  statusWhenStopped,
  type CommandStatusName,
  type CommandView,
  type HistoryKind,
  type PlannedStep,
  type StepOutcome,
  type StepRecord,
} from '../../src/domain/brain-command.js';
import { BrainIntent, CommandStatus } from '../search-attributes.js';
import { confirmStepUpdate, getStatusQuery, type BrainCommandInput } from './messages.js';
import { stepError } from './step-error.js';

type Activities = BrainActivities;
// Steps give up after a few attempts so the saga can answer the user; compensations try harder, since giving up
// leaves a half-done command behind.
const { runBrainStep, loadUndoTarget, resolveBrainTargets } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 4 },
});
const { compensateBrainStep, markCommandUndone } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});
const { recordBrainCommand } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** One Brain Mode command: its steps in order, a confirmation before each risky one, and a saga when one fails. */
export async function brainCommandWorkflow(input: BrainCommandInput): Promise<CommandView> {
  const { commandId, caller, settings } = input;
  const view: CommandView = {
    commandId,
    userId: caller.userId,
    text: input.text,
    intent: input.intent,
    status: 'planned',
    steps: input.steps.map(pendingStepRecord),
    history: [],
    awaiting: null,
    undoneBy: null,
    createdAtMs: Date.now(),
    updatedAtMs: Date.now(),
  };
  let decision: boolean | null = null;

  setHandler(getStatusQuery, () => view);
  setHandler(
    confirmStepUpdate,
    (d) => {
      decision = d.approve;
      return view;
    },
    {
      validator: (d) => {
        if (typeof d?.approve !== 'boolean') {
          throw ApplicationFailure.create({
            type: 'bad_request',
            message: 'approve must be true or false',
            nonRetryable: true,
          });
        }
        if (view.awaiting === null || decision !== null) {
          throw ApplicationFailure.create({
            type: 'not_awaiting_confirmation',
            message: `Command ${commandId} is not waiting for a confirmation (status ${view.status})`,
            nonRetryable: true,
          });
        }
      },
    },
  );

  const note = (kind: HistoryKind, stepIndex: number | null, detail: string): void => {
    view.history.push({ atMs: Date.now(), kind, stepIndex, detail });
    view.updatedAtMs = Date.now();
  };
  const setStatus = async (status: CommandStatusName): Promise<void> => {
    if (status !== view.status || view.history.length === 0) {
      view.status = status;
      upsertSearchAttributes([{ key: CommandStatus, value: status }]);
    }
    await recordBrainCommand(view);
  };
  const recordOf = (index: number): StepRecord => view.steps[index] as StepRecord;

  /** Waits for the user's answer; the deadline passing is a no, so nothing risky runs unattended. */
  const confirmed = async (step: PlannedStep, targets?: string[]): Promise<'approved' | 'declined' | 'expired'> => {
    decision = null;
    const deadlineMs = Date.now() + settings.confirmationMs;
    view.awaiting = targets ? { stepIndex: step.index, deadlineMs, targets } : { stepIndex: step.index, deadlineMs };
    recordOf(step.index).state = 'awaiting_confirmation';
    const on = targets ? ` on ${targets.join(', ')}` : '';
    note('awaiting_confirmation', step.index, `${step.action}${on} waits for the user's confirmation`);
    await setStatus('awaiting_confirmation');
    const answered = await condition(() => decision !== null, settings.confirmationMs);
    view.awaiting = null;
    const answer = !answered ? 'expired' : decision ? 'approved' : 'declined';
    if (answer !== 'approved') recordOf(step.index).state = answer;
    note(answer === 'approved' ? 'confirmed' : answer, step.index, `${step.action} ${answer}`);
    return answer;
  };

  const run = async (step: PlannedStep, previousTargets: string[]): Promise<StepOutcome> => {
    if (step.action !== 'undo') return runBrainStep({ commandId, caller, step, previousTargets });
    const target = await loadUndoTarget({ commandId, userId: caller.userId });
    for (const compensation of [...target.compensations].reverse()) {
      await compensateBrainStep({ commandId: target.commandId, caller, compensation });
    }
    await markCommandUndone({ commandId: target.commandId, undoneBy: commandId });
    return { summary: `undid command ${target.commandId}`, targets: [], compensation: null };
  };

  /** The saga: completed steps taken back newest first; the history names each. */
  const unwind = async (reason: 'failed' | 'declined' | 'expired'): Promise<CommandView> => {
    let compensated = 0;
    let compensationFailed = false;
    for (const record of compensationsToRun(view.steps)) {
      if (!record.compensation) continue;
      try {
        await compensateBrainStep({ commandId, caller, compensation: record.compensation });
        record.state = 'compensated';
        compensated += 1;
        note('compensated', record.index, `${record.action} taken back (${record.compensation.kind})`);
      } catch (error) {
        record.state = 'compensation_failed';
        compensationFailed = true;
        note('compensation_failed', record.index, stepError(error).message);
      }
    }
    await setStatus(statusWhenStopped(reason, compensated, compensationFailed));
    return view;
  };

  upsertSearchAttributes([{ key: BrainIntent, value: input.intent }]);
  note('planned', null, `${input.steps.length} step(s): ${input.steps.map((s) => s.action).join(', ')}`);
  await setStatus('planned');

  let previousTargets: string[] = [];
  for (const step of input.steps) {
    let targets: string[] | undefined;
    // Steps over a looked-up set resolve it first, show it in the confirmation and act on exactly that list.
    if (actsOnTargetSet(step)) {
      try {
        targets = await resolveBrainTargets({ commandId, caller, step, previousTargets: [] });
      } catch (error) {
        const record = recordOf(step.index);
        record.state = 'failed';
        record.error = stepError(error);
        note('step_failed', step.index, `${step.action}: ${record.error.code} (${record.error.status})`);
        return unwind('failed');
      }
      recordOf(step.index).targets = targets;
    }
    if (step.needsConfirmation || targets) {
      const answer = await confirmed(step, targets);
      if (answer !== 'approved') return unwind(answer);
    }
    const record = recordOf(step.index);
    record.state = 'running';
    await setStatus('running');
    try {
      const outcome = await run(step, step.targetsPrevious ? previousTargets : []);
      Object.assign(record, { state: 'completed', ...outcome });
      previousTargets = outcome.targets;
      note('step_completed', step.index, outcome.summary);
    } catch (error) {
      record.state = 'failed';
      record.error = stepError(error);
      note('step_failed', step.index, `${step.action}: ${record.error.code} (${record.error.status})`);
      return unwind('failed');
    }
  }
  note('completed', null, 'every step completed');
  await setStatus('completed');
  return view;
}
