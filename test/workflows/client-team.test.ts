import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { HOUR_MS } from '../../src/domain/decay.js';
import type { Show } from '../../src/domain/schedule.js';
import { workflowIds } from '../../workflows/ids.js';
import {
  endLiveUpdate,
  goLiveUpdate,
  scheduleShowUpdate,
  type TvStationSettings,
} from '../../workflows/tv-station/messages.js';
import type { tvStationWorkflow } from '../../workflows/tv-station/workflow.js';
import {
  decideVerificationUpdate,
  getVerificationQuery,
  type VerificationSettings,
} from '../../workflows/verification/messages.js';
import type { verificationWorkflow } from '../../workflows/verification/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { uniqueId, useTimeSkippingSuite } from '../helpers/workflow-env.js';

const MINUTE_MS = 60_000;
const stationSettings: TvStationSettings = {
  keepFinished: 5,
  idleMs: 30 * 24 * HOUR_MS,
  maxHistoryEvents: 2_000,
  notifyBatchSize: 100,
  viewerTimeoutMs: 45_000,
};
const verificationSettings: VerificationSettings = {
  decisionDeadlineMs: 72 * HOUR_MS,
  escalationGraceMs: 48 * HOUR_MS,
};

/** Side effects only counted: these tests are about the workflows' answers. */
const activities = {
  async openShowViewers() {},
  async recordFinishedShow() {
    return null;
  },
  async publishStationState() {},
  async notifyFollowers() {
    return 0;
  },
  async writeNotification() {
    return true;
  },
  async recordVerificationOutcome() {},
};

describe('issue 21 workflow changes (time-skipping)', () => {
  const suite = useTimeSkippingSuite();
  const { started, run } = suite;

  it('a booked show started early takes the title and duration sent with goLive', async () => {
    await run(activities, async (tq) => {
      const stationId = uniqueId('st');
      started.add(workflowIds.tvStation(stationId));
      const handle = await suite.env.client.workflow.start<typeof tvStationWorkflow>('tvStationWorkflow', {
        workflowId: workflowIds.tvStation(stationId),
        taskQueue: tq,
        args: [{ stationId, ownerId: 'creator-1', settings: stationSettings }],
      });
      const t0 = await suite.env.currentTimeMs();
      await handle.executeUpdate(scheduleShowUpdate, {
        args: [{ showId: 'tomorrow', title: 'Booked', startMs: t0 + 26 * HOUR_MS, durationMs: HOUR_MS }],
      });
      const live: Show = await handle.executeUpdate(goLiveUpdate, {
        args: [{ showId: 'tomorrow', title: 'Early', durationMs: 20 * MINUTE_MS }],
      });
      assert.deepEqual([live.status, live.title, live.durationMs], ['live', 'Early', 20 * MINUTE_MS]);
      const ended = await handle.executeUpdate(endLiveUpdate, { args: [{ showId: null }] });
      assert.equal(ended.status, 'ended');
      await recordHistory(handle, 'tvStationWorkflow-go-live-early');
    });
  });

  it('a verification decided by the Update refuses a second decision, naming the status', async () => {
    await run(activities, async (tq) => {
      const userId = uniqueId('creator');
      started.add(workflowIds.verification(userId));
      const requestedAtMs = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
      const handle = await suite.env.client.workflow.start<typeof verificationWorkflow>('verificationWorkflow', {
        workflowId: workflowIds.verification(userId),
        taskQueue: tq,
        args: [
          {
            userId,
            evidence: [{ kind: 'youtube', url: 'https://www.youtube.com/@someone' }],
            settings: verificationSettings,
            requestedAtMs,
          },
        ],
      });
      assert.equal((await handle.query(getVerificationQuery)).requestedAtMs, requestedAtMs, 'the API time');
      const status = await handle.executeUpdate(decideVerificationUpdate, {
        args: [{ decision: 'reject', operatorId: 'ops-1', reason: 'no evidence' }],
      });
      assert.equal(status, 'rejected');
      await assert.rejects(
        handle.executeUpdate(decideVerificationUpdate, { args: [{ decision: 'approve', operatorId: 'ops-2' }] }),
        (error: unknown) => error instanceof WorkflowUpdateFailedError && /already rejected/.test(String(error.cause)),
      );
      assert.equal(await handle.result(), 'rejected');
      await recordHistory(handle, 'verificationWorkflow-decided-by-update');
    });
  });
});
