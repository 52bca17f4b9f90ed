import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { createActivities } from '../../activities/index.js';
import type { NotificationInput, VerificationOutcome } from '../../activities/identity.js';
import { HOUR_MS } from '../../src/domain/decay.js';
import type { VerificationDecision } from '../../src/domain/verification.js';
import { VerificationStatus } from '../../workflows/search-attributes.js';
import { workflowIds } from '../../workflows/ids.js';
import {
  getVerificationQuery,
  verificationDecisionSignal,
  type VerificationSettings,
} from '../../workflows/verification/messages.js';
import type { verificationWorkflow } from '../../workflows/verification/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { uniqueId, useTimeSkippingSuite } from '../helpers/workflow-env.js';

type Activities = Pick<ReturnType<typeof createActivities>, 'writeNotification' | 'recordVerificationOutcome'>;

const settings: VerificationSettings = { decisionDeadlineMs: 72 * HOUR_MS, escalationGraceMs: 48 * HOUR_MS };
const evidence = [{ kind: 'youtube' as const, url: 'https://www.youtube.com/@someone' }];

function memoryActivities() {
  const notifications: NotificationInput[] = [];
  const outcomes: VerificationOutcome[] = [];
  const activities: Activities = {
    async writeNotification(input) {
      if (!notifications.some((n) => n.id === input.id)) notifications.push(input);
      return true;
    },
    async recordVerificationOutcome(outcome) {
      outcomes.push(outcome);
    },
  };
  return { activities, notifications, outcomes };
}

describe('verificationWorkflow (time-skipping)', () => {
  const suite = useTimeSkippingSuite();
  const { started, run } = suite;

  function request(taskQueue: string, userId: string) {
    started.add(workflowIds.verification(userId));
    return suite.env.client.workflow.start<typeof verificationWorkflow>('verificationWorkflow', {
      workflowId: workflowIds.verification(userId),
      taskQueue,
      args: [{ userId, evidence, settings }],
    });
  }

  it('escalates to operators after the deadline, then expires without a badge', async () => {
    const { activities, notifications, outcomes } = memoryActivities();
    const userId = uniqueId('creator');
    await run(activities, async (tq) => {
      const handle = await request(tq, userId);
      await suite.env.sleep(settings.decisionDeadlineMs - HOUR_MS);
      assert.equal((await handle.query(getVerificationQuery)).status, 'pending');
      assert.equal(notifications.length, 0);

      await suite.env.sleep(2 * HOUR_MS);
      assert.equal((await handle.query(getVerificationQuery)).status, 'escalated');
      assert.equal((await handle.describe()).typedSearchAttributes.get(VerificationStatus), 'escalated');
      assert.deepEqual(
        notifications.map((n) => [n.recipient, n.kind]),
        [['operators', 'verification_escalated']],
      );

      assert.equal(await handle.result(), 'expired');
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['expired'],
      );
      assert.equal(notifications.at(-1)?.kind, 'verification_expired');
      assert.equal(notifications.at(-1)?.recipient, userId);
      await recordHistory(handle, 'verificationWorkflow-expired');
    });
  });

  it('approval before the deadline records the badge; malformed decisions (as typed in the UI) are dropped', async () => {
    const { activities, notifications, outcomes } = memoryActivities();
    const userId = uniqueId('creator');
    await run(activities, async (tq) => {
      const handle = await request(tq, userId);
      await suite.env.sleep(HOUR_MS);
      await handle.signal(verificationDecisionSignal, {
        decision: 'maybe',
        operatorId: 'ops-1',
      } as unknown as VerificationDecision);
      assert.equal((await handle.query(getVerificationQuery)).decision, null);
      await handle.signal(verificationDecisionSignal, { decision: 'approve', operatorId: 'ops-1' });
      assert.equal(await handle.result(), 'approved');
      assert.equal(outcomes.length, 1);
      assert.equal(outcomes[0]?.status, 'approved');
      assert.equal(outcomes[0]?.operatorId, 'ops-1');
      assert.equal((await handle.describe()).typedSearchAttributes.get(VerificationStatus), 'approved');
      assert.ok(!notifications.some((n) => n.recipient === 'operators'), 'no escalation before the deadline');
      await recordHistory(handle, 'verificationWorkflow-approved');
    });
  });

  it('an operator may still decide after escalation; a rejection records no badge and tells the creator why', async () => {
    const { activities, notifications, outcomes } = memoryActivities();
    const userId = uniqueId('creator');
    await run(activities, async (tq) => {
      const handle = await request(tq, userId);
      await suite.env.sleep(settings.decisionDeadlineMs + HOUR_MS);
      assert.equal((await handle.query(getVerificationQuery)).status, 'escalated');
      await handle.signal(verificationDecisionSignal, {
        decision: 'reject',
        operatorId: 'ops-2',
        reason: 'not enough',
      });
      assert.equal(await handle.result(), 'rejected');
      assert.deepEqual(
        outcomes.map((o) => [o.status, o.operatorId]),
        [['rejected', 'ops-2']],
      );
      const told = notifications.find((n) => n.recipient === userId);
      assert.equal(told?.kind, 'verification_rejected');
      assert.deepEqual(told?.data, { status: 'rejected', reason: 'not enough' });
    });
  });
});
