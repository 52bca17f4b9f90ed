import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { createActivities } from '../../activities/index.js';
import type { Compensation, CommandView, PlannedStep, StepOutcome } from '../../src/domain/brain-command.js';
import { CommandStatus } from '../../workflows/search-attributes.js';
import { workflowIds } from '../../workflows/ids.js';
import {
  confirmStepUpdate,
  getStatusQuery,
  type BrainCommandSettings,
} from '../../workflows/brain-command/messages.js';
import type { brainCommandWorkflow } from '../../workflows/brain-command/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { uniqueId, useTimeSkippingSuite } from '../helpers/workflow-env.js';

type Activities = Pick<
  ReturnType<typeof createActivities>,
  'runBrainStep' | 'compensateBrainStep' | 'recordBrainCommand' | 'loadUndoTarget' | 'markCommandUndone'
>;

const settings: BrainCommandSettings = { confirmationMs: 2 * 60_000 };
const caller = { userId: 'u-caller', roles: ['user'] };

const step = (index: number, action: string, params: PlannedStep['params'], extra: Partial<PlannedStep> = {}) => ({
  index,
  action,
  params,
  needsConfirmation: action === 'tip_creator' || action === 'block_creator' || action === 'end_live',
  targetsPrevious: false,
  ...extra,
});

/** The world the steps act on, in memory: what ran, what was charged, what was taken back and in which order. */
function memoryActivities(failing: Record<string, { code: string; status: number }> = {}) {
  const ran: string[] = [];
  const tips: string[] = [];
  const compensations: Compensation[] = [];
  const records: CommandView[] = [];
  const undone: Array<{ commandId: string; undoneBy: string }> = [];
  let undoTarget: { commandId: string; compensations: Compensation[] } | null = null;
  const activities: Activities = {
    async runBrainStep({ step: s, previousTargets, commandId }): Promise<StepOutcome> {
      ran.push(s.action);
      const refusal = failing[s.action];
      if (refusal) {
        throw ApplicationFailure.create({
          type: refusal.code,
          message: s.action,
          nonRetryable: true,
          details: [refusal],
        });
      }
      const targets = s.targetsPrevious ? previousTargets : [s.params.creator ?? 'nobody'];
      switch (s.action) {
        case 'follow_creator':
          return { summary: 'followed', targets, compensation: { kind: 'unfollow', targets } };
        case 'tip_creator': {
          const tipIds = targets.map((t) => `${commandId}:${s.index}:${t}`);
          for (const id of tipIds) if (!tips.includes(id)) tips.push(id);
          return { summary: 'tipped', targets, compensation: { kind: 'refund_tips', tipIds } };
        }
        case 'set_preference':
          return {
            summary: 'set',
            targets: [],
            compensation: { kind: 'restore_preference', app: 'powerstream', key: 'autoplay', previous: true },
          };
        default:
          return { summary: s.action, targets: [], compensation: null };
      }
    },
    async compensateBrainStep({ compensation }) {
      compensations.push(compensation);
    },
    async recordBrainCommand(view) {
      records.push(structuredClone(view));
    },
    async loadUndoTarget() {
      if (!undoTarget)
        throw ApplicationFailure.create({ type: 'not_found', nonRetryable: true, details: [{ status: 404 }] });
      return undoTarget;
    },
    async markCommandUndone(input) {
      undone.push(input);
    },
  };
  const setUndoTarget = (t: typeof undoTarget) => (undoTarget = t);
  return { activities, ran, tips, compensations, records, undone, setUndoTarget };
}

describe('brainCommandWorkflow (time-skipping)', () => {
  const suite = useTimeSkippingSuite();
  const { started, run } = suite;

  function command(taskQueue: string, steps: PlannedStep[], text = 'a command') {
    const commandId = uniqueId('cmd');
    started.add(workflowIds.brainCommand(commandId));
    return suite.env.client.workflow.start<typeof brainCommandWorkflow>('brainCommandWorkflow', {
      workflowId: workflowIds.brainCommand(commandId),
      taskQueue,
      args: [{ commandId, caller, text, intent: steps[0]?.action ?? 'help', steps, settings }],
    });
  }

  async function awaitingConfirmation(handle: WorkflowHandle): Promise<CommandView> {
    for (let i = 0; i < 100; i++) {
      const view = await handle.query(getStatusQuery);
      if (view.status === 'awaiting_confirmation') return view;
      await sleep(50);
    }
    assert.fail('the command never asked for a confirmation');
  }

  it('runs a chain in order: the tip waits for the yes and tips whom the follow step followed', async () => {
    const world = memoryActivities();
    await run(world.activities, async (tq) => {
      const handle = await command(tq, [
        step(0, 'follow_creator', { creator: 'alice' }),
        step(1, 'tip_creator', { amount: { value: 2, minor: 200, currency: 'USD' } }, { targetsPrevious: true }),
      ]);
      const waiting = await awaitingConfirmation(handle);
      assert.equal(waiting.awaiting?.stepIndex, 1);
      assert.deepEqual(world.tips, [], 'nothing is charged before the yes');
      await handle.executeUpdate(confirmStepUpdate, { args: [{ approve: true }] });

      const view = await handle.result();
      assert.equal(view.status, 'completed');
      assert.deepEqual(world.ran, ['follow_creator', 'tip_creator']);
      assert.deepEqual(view.steps[1]?.targets, ['alice']);
      assert.equal(world.tips.length, 1);
      assert.equal(world.records.at(-1)?.status, 'completed', 'the history is stored');
      const attributes = (await handle.describe()).typedSearchAttributes;
      assert.equal(attributes.get(CommandStatus), 'completed');
      await recordHistory(handle, 'brainCommandWorkflow-chain');
    });
  });

  it('an unconfirmed tip expires after the deadline: nothing charged, the earlier follow taken back', async () => {
    const world = memoryActivities();
    await run(world.activities, async (tq) => {
      const handle = await command(tq, [
        step(0, 'follow_creator', { creator: 'alice' }),
        step(1, 'tip_creator', { creator: 'alice', amount: { value: 5, minor: 500 } }),
      ]);
      const view = await handle.result();
      assert.equal(view.status, 'expired');
      assert.deepEqual(world.ran, ['follow_creator'], 'the tip step never ran');
      assert.deepEqual(world.tips, []);
      assert.deepEqual(world.compensations, [{ kind: 'unfollow', targets: ['alice'] }]);
      assert.equal(view.steps[1]?.state, 'expired');
      const expiredAt = view.history.find((h) => h.kind === 'expired')?.atMs ?? 0;
      const askedAt = view.history.find((h) => h.kind === 'awaiting_confirmation')?.atMs ?? 0;
      assert.ok(expiredAt - askedAt >= settings.confirmationMs, 'expired only after the deadline');
      await assert.rejects(handle.executeUpdate(confirmStepUpdate, { args: [{ approve: true }] }));
      await recordHistory(handle, 'brainCommandWorkflow-expired');
    });
  });

  it('a failing third step compensates the first two in reverse order, and the history says so', async () => {
    const world = memoryActivities({ go_live: { code: 'forbidden', status: 403 } });
    await run(world.activities, async (tq) => {
      const handle = await command(tq, [
        step(0, 'follow_creator', { creator: 'bob' }),
        step(1, 'set_preference', { preference: { key: 'autoplay', value: false } }),
        step(2, 'go_live', { station: 'someone-elses' }),
      ]);
      const view = await handle.result();
      assert.equal(view.status, 'compensated');
      assert.deepEqual(
        world.compensations.map((c) => c.kind),
        ['restore_preference', 'unfollow'],
      );
      assert.deepEqual(view.steps[2]?.error, { code: 'forbidden', status: 403, message: 'go_live' });
      assert.deepEqual(
        view.steps.map((s) => s.state),
        ['compensated', 'compensated', 'failed'],
      );
      assert.deepEqual(
        view.history.filter((h) => h.kind === 'compensated').map((h) => h.stepIndex),
        [1, 0],
      );
      assert.equal((await handle.describe()).typedSearchAttributes.get(CommandStatus), 'compensated');
      await recordHistory(handle, 'brainCommandWorkflow-compensated');
    });
  });

  it('a refused first step fails the command with its REST status and nothing to compensate', async () => {
    const world = memoryActivities({ end_live: { code: 'forbidden', status: 403 } });
    await run(world.activities, async (tq) => {
      const handle = await command(tq, [step(0, 'end_live', {}, { needsConfirmation: false })]);
      const view = await handle.result();
      assert.equal(view.status, 'failed');
      assert.equal(view.steps[0]?.error?.status, 403);
      assert.deepEqual(world.compensations, []);
    });
  });

  it('declining a block takes back nothing it did not do and never runs the block', async () => {
    const world = memoryActivities();
    await run(world.activities, async (tq) => {
      const handle = await command(tq, [step(0, 'block_creator', { creator: 'carol' })]);
      await awaitingConfirmation(handle);
      await handle.executeUpdate(confirmStepUpdate, { args: [{ approve: false }] });
      const view = await handle.result();
      assert.deepEqual(world.ran, []);
      assert.equal(view.steps[0]?.state, 'declined');
      assert.equal(view.status, 'compensated');
    });
  });

  it('undo takes back the last completed command, newest step first, and marks it undone', async () => {
    const world = memoryActivities();
    world.setUndoTarget({
      commandId: 'cmd-earlier',
      compensations: [
        { kind: 'unfollow', targets: ['alice'] },
        { kind: 'refund_tips', tipIds: ['cmd-earlier:1:alice'] },
      ],
    });
    await run(world.activities, async (tq) => {
      const handle = await command(tq, [step(0, 'undo', {})], 'undo that');
      const view = await handle.result();
      assert.equal(view.status, 'completed');
      assert.deepEqual(
        world.compensations.map((c) => c.kind),
        ['refund_tips', 'unfollow'],
      );
      assert.deepEqual(world.undone, [{ commandId: 'cmd-earlier', undoneBy: view.commandId }]);
      await recordHistory(handle, 'brainCommandWorkflow-undo');
    });
  });

  it('undo with nothing to take back fails as not_found', async () => {
    const world = memoryActivities();
    await run(world.activities, async (tq) => {
      const view = await (await command(tq, [step(0, 'undo', {})])).result();
      assert.equal(view.status, 'failed');
      assert.equal(view.steps[0]?.error?.code, 'not_found');
      assert.equal(view.steps[0]?.error?.status, 404);
    });
  });
});
