import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { createActivities } from '../../activities/index.js';
import type { Compensation, CommandView, PlannedStep, StepOutcome } from '../../src/domain/brain-command.js';
import { workflowIds } from '../../workflows/ids.js';
import { confirmStepUpdate, getStatusQuery } from '../../workflows/brain-command/messages.js';
import type { brainCommandWorkflow } from '../../workflows/brain-command/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { uniqueId, useTimeSkippingSuite } from '../helpers/workflow-env.js';

/**
 * Collective commands: a step over a looked-up set ("the top 2 chess creators") resolves the set first, shows it in
 * the confirmation, acts on exactly that list once the user says yes, and is taken back as a whole.
 */
type Activities = Pick<
  ReturnType<typeof createActivities>,
  'runBrainStep' | 'compensateBrainStep' | 'recordBrainCommand' | 'resolveBrainTargets'
>;

const caller = { userId: 'u-fan', roles: ['user'] };
const settings = { confirmationMs: 2 * 60_000 };
const TOP_CHESS = ['chess-a', 'chess-b'];

const followTopChess: PlannedStep = {
  index: 0,
  action: 'follow_creator',
  params: { topic: 'chess', count: 2, targetSet: 'top_creators' },
  needsConfirmation: true,
  targetsPrevious: false,
};

function world(failing: string[] = []) {
  const ran: Array<{ action: string; targets: string[] }> = [];
  const compensations: Compensation[] = [];
  const resolved: string[] = [];
  const activities: Activities = {
    async resolveBrainTargets({ step }) {
      resolved.push(step.params.topic ?? '');
      return TOP_CHESS;
    },
    async runBrainStep({ step, previousTargets }): Promise<StepOutcome> {
      if (failing.includes(step.action)) {
        throw ApplicationFailure.create({ type: 'forbidden', nonRetryable: true, details: [{ status: 403 }] });
      }
      // The real step reads the set its resolution stored; here the same list stands in for it.
      const targets = step.targetsPrevious ? previousTargets : TOP_CHESS;
      ran.push({ action: step.action, targets });
      const compensation: Compensation =
        step.action === 'tip_creator'
          ? { kind: 'refund_tips', tipIds: targets.map((t) => `tip:${t}`) }
          : { kind: 'unfollow', targets };
      return { summary: `${step.action} ${targets.join(', ')}`, targets, compensation };
    },
    async compensateBrainStep({ compensation }) {
      compensations.push(compensation);
    },
    async recordBrainCommand(_view: CommandView) {},
  };
  return { activities, ran, compensations, resolved };
}

describe('brainCommandWorkflow: collective steps (time-skipping)', () => {
  const suite = useTimeSkippingSuite();
  const { started, run } = suite;

  function command(taskQueue: string, steps: PlannedStep[]) {
    const commandId = uniqueId('cmd');
    started.add(workflowIds.brainCommand(commandId));
    return suite.env.client.workflow.start<typeof brainCommandWorkflow>('brainCommandWorkflow', {
      workflowId: workflowIds.brainCommand(commandId),
      taskQueue,
      args: [{ commandId, caller, text: 'collective', intent: steps[0]?.action ?? 'help', steps, settings }],
    });
  }

  async function awaiting(handle: WorkflowHandle): Promise<CommandView> {
    for (let i = 0; i < 100; i++) {
      const view = await handle.query(getStatusQuery);
      if (view.status === 'awaiting_confirmation') return view;
      await sleep(50);
    }
    assert.fail('the command never asked for a confirmation');
  }

  it('shows the looked-up list before it runs, then acts on that list and nobody else', async () => {
    const w = world();
    await run(w.activities, async (tq) => {
      const handle = await command(tq, [followTopChess]);
      const waiting = await awaiting(handle);
      assert.deepEqual(waiting.awaiting?.targets, TOP_CHESS, 'the confirmation names the set');
      assert.deepEqual(waiting.steps[0]?.targets, TOP_CHESS);
      assert.deepEqual(w.ran, [], 'nothing runs before the yes');
      assert.match(waiting.history.at(-1)?.detail ?? '', /chess-a, chess-b/);

      await handle.executeUpdate(confirmStepUpdate, { args: [{ approve: true }] });
      const view = await handle.result();
      assert.equal(view.status, 'completed');
      assert.deepEqual(w.resolved, ['chess']);
      assert.deepEqual(w.ran, [{ action: 'follow_creator', targets: TOP_CHESS }]);
      await recordHistory(handle, 'brainCommandWorkflow-collective');
    });
  });

  it('a declined list changes nothing', async () => {
    const w = world();
    await run(w.activities, async (tq) => {
      const handle = await command(tq, [followTopChess]);
      await awaiting(handle);
      await handle.executeUpdate(confirmStepUpdate, { args: [{ approve: false }] });
      const view = await handle.result();
      assert.equal(view.status, 'compensated');
      assert.equal(view.steps[0]?.state, 'declined');
      assert.deepEqual(w.ran, []);
      assert.deepEqual(w.compensations, []);
    });
  });

  it('is compensated as a whole: a later step failing takes back the follow of the entire set', async () => {
    const w = world(['block_creator']);
    await run(w.activities, async (tq) => {
      const block: PlannedStep = {
        index: 1,
        action: 'block_creator',
        params: { creator: 'someone' },
        needsConfirmation: false,
        targetsPrevious: false,
      };
      const handle = await command(tq, [followTopChess, block]);
      await awaiting(handle);
      await handle.executeUpdate(confirmStepUpdate, { args: [{ approve: true }] });
      const view = await handle.result();
      assert.equal(view.status, 'compensated');
      assert.deepEqual(w.compensations, [{ kind: 'unfollow', targets: TOP_CHESS }]);
    });
  });

  it('an empty set fails the step with the lookup’s 404 before asking anything', async () => {
    const w = world();
    w.activities.resolveBrainTargets = async () => {
      throw ApplicationFailure.create({
        type: 'not_found',
        message: 'No creators of "chess" yet',
        nonRetryable: true,
        details: [{ status: 404 }],
      });
    };
    await run(w.activities, async (tq) => {
      const view = await (await command(tq, [followTopChess])).result();
      assert.equal(view.status, 'failed');
      assert.deepEqual([view.steps[0]?.error?.code, view.steps[0]?.error?.status], ['not_found', 404]);
      assert.ok(!view.history.some((h) => h.kind === 'awaiting_confirmation'));
      assert.deepEqual(w.ran, []);
    });
  });
});
