import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { createActivities } from '../../activities/index.js';
import { HOUR_MS } from '../../src/domain/decay.js';
import type { Show } from '../../src/domain/schedule.js';
import { NextShowAt, StationStatus } from '../../workflows/search-attributes.js';
import { workflowIds } from '../../workflows/ids.js';
import {
  cancelShowUpdate,
  endLiveUpdate,
  getLiveStateQuery,
  getScheduleQuery,
  goLiveUpdate,
  scheduleShowUpdate,
  type TvStationSettings,
} from '../../workflows/tv-station/messages.js';
import type { tvStationWorkflow } from '../../workflows/tv-station/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { bundleWorkflows, createTimeSkippingEnv, terminateAll, uniqueId } from '../helpers/workflow-env.js';

type StationActivities = Pick<
  ReturnType<typeof createActivities>,
  'openShowViewers' | 'recordFinishedShow' | 'publishStationState' | 'notifyFollowers'
>;

const MINUTE_MS = 60_000;
const settings: TvStationSettings = {
  keepFinished: 5,
  idleMs: 30 * 24 * HOUR_MS,
  maxHistoryEvents: 2_000,
  notifyBatchSize: 100,
  viewerTimeoutMs: 45_000,
};

/** What the activities were asked to do, in order: the workflow's side effects as a log. */
function memoryActivities() {
  const calls: string[] = [];
  const finished: Show[] = [];
  const notified: string[] = [];
  const activities: StationActivities = {
    async openShowViewers(_stationId, showId) {
      calls.push(`open:${showId}`);
    },
    async recordFinishedShow(_stationId, show) {
      calls.push(`finish:${show.showId}:${show.status}`);
      finished.push(show);
      return null;
    },
    async publishStationState(update) {
      calls.push(`publish:${update.status}`);
    },
    async notifyFollowers({ show }) {
      calls.push(`notify:${show.showId}`);
      notified.push(show.showId);
      return 0;
    },
  };
  return { activities, calls, finished, notified };
}

describe('tvStationWorkflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  before(async () => {
    env = await createTimeSkippingEnv();
    bundle = await bundleWorkflows();
  });
  after(async () => {
    await env?.teardown();
  });

  const started = new Set<string>();
  // `uncached`: no sticky queue, as after a crash; the test server does not fall back from a dead worker's one.
  const newWorker = (taskQueue: string, activities: StationActivities, uncached = false) =>
    Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities,
      ...(uncached ? { maxCachedWorkflows: 0 } : {}),
    });

  async function startStation(taskQueue: string) {
    const stationId = uniqueId('st');
    const workflowId = workflowIds.tvStation(stationId);
    started.add(workflowId);
    return env.client.workflow.start<typeof tvStationWorkflow>('tvStationWorkflow', {
      workflowId,
      taskQueue,
      args: [{ stationId, ownerId: 'creator-1', settings }],
    });
  }

  async function run(activities: StationActivities, body: (taskQueue: string) => Promise<void>): Promise<void> {
    const taskQueue = uniqueId('tq');
    const worker = await newWorker(taskQueue, activities);
    await worker.runUntil(async () => {
      try {
        await body(taskQueue);
      } finally {
        // A workflow left running keeps firing timers with no worker to serve them, which stalls time skipping.
        await terminateAll(env, started);
      }
    });
  }

  it('takes a show scheduled for +1 h live at +1 h and ends it at +1 h + duration', async () => {
    const { activities, calls, finished, notified } = memoryActivities();
    await run(activities, async (tq) => {
      const handle = await startStation(tq);
      const t0 = await env.currentTimeMs();
      const startMs = t0 + HOUR_MS;
      const durationMs = 30 * MINUTE_MS;
      const show = await handle.executeUpdate(scheduleShowUpdate, {
        args: [{ showId: 'show-1', title: 'Morning news', startMs, durationMs }],
      });
      assert.equal(show.status, 'scheduled');

      await env.sleep(HOUR_MS - MINUTE_MS);
      assert.equal((await handle.query(getLiveStateQuery)).status, 'scheduled');
      // What operators filter on in the Temporal UI.
      const before = (await handle.describe()).typedSearchAttributes;
      assert.equal(before.get(StationStatus), 'scheduled');
      assert.equal(before.get(NextShowAt)?.getTime(), startMs);
      await env.sleep(2 * MINUTE_MS);
      const live = await handle.query(getLiveStateQuery);
      assert.equal(live.status, 'live');
      assert.equal(live.live?.showId, 'show-1');
      const lateBy = (live.live?.wentLiveAtMs ?? 0) - startMs;
      assert.ok(lateBy >= 0 && lateBy < 5_000, `went live ${lateBy} ms after its start`);
      const during = (await handle.describe()).typedSearchAttributes;
      assert.equal(during.get(StationStatus), 'live');
      assert.equal(during.get(NextShowAt), undefined);

      await env.sleep(durationMs);
      assert.equal((await handle.query(getLiveStateQuery)).status, 'offline');
      const ended = finished.find((s) => s.showId === 'show-1');
      assert.equal(ended?.status, 'ended');
      assert.equal(ended?.finishedAtMs, startMs + durationMs);
      assert.deepEqual(notified, ['show-1']);
      // Counts open before followers hear of the show, and the show is recorded after it ends.
      assert.deepEqual(calls, [
        'publish:scheduled',
        'open:show-1',
        'publish:live',
        'notify:show-1',
        'finish:show-1:ended',
        'publish:offline',
      ]);
      await recordHistory(handle, 'tvStationWorkflow-show');
    });
  });

  it('never starts a show cancelled before its start', async () => {
    const { activities, calls, finished } = memoryActivities();
    await run(activities, async (tq) => {
      const handle = await startStation(tq);
      const startMs = (await env.currentTimeMs()) + HOUR_MS;
      await handle.executeUpdate(scheduleShowUpdate, {
        args: [{ showId: 'show-c', title: 'Cancelled', startMs, durationMs: 30 * MINUTE_MS }],
      });
      await env.sleep(30 * MINUTE_MS);
      const cancelled = await handle.executeUpdate(cancelShowUpdate, { args: [{ showId: 'show-c' }] });
      assert.equal(cancelled.status, 'cancelled');
      await env.sleep(2 * HOUR_MS);
      assert.equal((await handle.query(getLiveStateQuery)).status, 'offline');
      assert.ok(!calls.some((c) => c.startsWith('open:')), `no show opened: ${calls.join(', ')}`);
      assert.deepEqual(
        finished.map((s) => `${s.showId}:${s.status}`),
        ['show-c:cancelled'],
      );
      await recordHistory(handle, 'tvStationWorkflow-cancel');
    });
  });

  it('rejects an overlapping show with a typed failure and keeps the schedule unchanged', async () => {
    const { activities } = memoryActivities();
    await run(activities, async (tq) => {
      const handle = await startStation(tq);
      const startMs = (await env.currentTimeMs()) + HOUR_MS;
      await handle.executeUpdate(scheduleShowUpdate, {
        args: [{ showId: 'a', title: 'First', startMs, durationMs: HOUR_MS }],
      });
      const overlapping = handle.executeUpdate(scheduleShowUpdate, {
        args: [{ showId: 'b', title: 'Second', startMs: startMs + 30 * MINUTE_MS, durationMs: HOUR_MS }],
      });
      await assert.rejects(overlapping, (error: unknown) => {
        assert.ok(error instanceof WorkflowUpdateFailedError);
        assert.ok(error.cause instanceof ApplicationFailure);
        assert.equal(error.cause.type, 'overlap');
        assert.match(error.cause.message, /Overlaps "First"/);
        return true;
      });
      const inPast = handle.executeUpdate(scheduleShowUpdate, {
        args: [{ showId: 'c', title: 'Late', startMs: startMs - 2 * HOUR_MS, durationMs: HOUR_MS }],
      });
      await assert.rejects(
        inPast,
        (error: unknown) => (error as { cause?: { type?: string } }).cause?.type === 'in_past',
      );
      const { shows } = await handle.query(getScheduleQuery);
      assert.deepEqual(
        shows.map((s) => s.showId),
        ['a'],
      );
    });
  });

  it('still goes live on time when the worker restarts between schedule and start', async () => {
    const { activities, notified } = memoryActivities();
    const taskQueue = uniqueId('tq');
    try {
      const first = await newWorker(taskQueue, activities, true);
      const { handle, startMs } = await first.runUntil(async () => {
        const h = await startStation(taskQueue);
        const at = (await env.currentTimeMs()) + HOUR_MS;
        await h.executeUpdate(scheduleShowUpdate, {
          args: [{ showId: 'show-r', title: 'After restart', startMs: at, durationMs: HOUR_MS }],
        });
        return { handle: h, startMs: at };
      });

      // The first worker is shut down now; a new one (a new process, in production) picks the timers up.
      const second = await newWorker(taskQueue, activities, true);
      await second.runUntil(async () => {
        await env.sleep(HOUR_MS + MINUTE_MS);
        const live = await handle.query(getLiveStateQuery);
        assert.equal(live.live?.showId, 'show-r');
        const lateBy = (live.live?.wentLiveAtMs ?? 0) - startMs;
        assert.ok(lateBy >= 0 && lateBy < 5_000, `went live ${lateBy} ms after its start`);
        assert.deepEqual(notified, ['show-r']);
        await terminateAll(env, started);
      });
    } finally {
      await terminateAll(env, started);
    }
  });

  it('goes live unscheduled and ends on request, answering only once the station state is published', async () => {
    const { activities, calls } = memoryActivities();
    await run(activities, async (tq) => {
      const handle = await startStation(tq);
      const live = await handle.executeUpdate(goLiveUpdate, {
        args: [{ showId: 'now', title: 'Breaking', durationMs: HOUR_MS }],
      });
      assert.equal(live.status, 'live');
      assert.deepEqual(calls.slice(0, 2), ['open:now', 'publish:live']);
      const again = handle.executeUpdate(goLiveUpdate, {
        args: [{ showId: 'other', title: 'Second', durationMs: HOUR_MS }],
      });
      await assert.rejects(
        again,
        (error: unknown) => (error as { cause?: { type?: string } }).cause?.type === 'already_live',
      );
      const ended = await handle.executeUpdate(endLiveUpdate, { args: [{ showId: null }] });
      assert.equal(ended.status, 'ended');
      assert.ok(calls.includes('finish:now:ended'));
      assert.equal(calls.at(-1), 'publish:offline');
    });
  });

  it('continues as new with its schedule, keeps only the latest finished shows, and runs every show in order', async () => {
    const { activities, notified, finished } = memoryActivities();
    await run(activities, async (tq) => {
      const stationId = uniqueId('st');
      const workflowId = workflowIds.tvStation(stationId);
      started.add(workflowId);
      const small = { ...settings, maxHistoryEvents: 100, keepFinished: 2 };
      const handle = await env.client.workflow.start<typeof tvStationWorkflow>('tvStationWorkflow', {
        workflowId,
        taskQueue: tq,
        args: [{ stationId, ownerId: 'creator-1', settings: small }],
      });
      const t0 = await env.currentTimeMs();
      const ids = Array.from({ length: 8 }, (_, i) => `s${i}`);
      for (const [i, showId] of ids.entries()) {
        await handle.executeUpdate(scheduleShowUpdate, {
          args: [{ showId, title: `Show ${i}`, startMs: t0 + (i + 1) * HOUR_MS, durationMs: 30 * MINUTE_MS }],
        });
      }
      await env.sleep(4 * HOUR_MS + 45 * MINUTE_MS);
      const midway = await env.client.workflow.getHandle(workflowId).describe();
      assert.notEqual(midway.runId, handle.firstExecutionRunId, 'continued as new');
      const { shows } = await env.client.workflow.getHandle(workflowId).query(getScheduleQuery);
      assert.deepEqual(
        shows.map((s) => `${s.showId}:${s.status}`),
        ['s2:ended', 's3:ended', 's4:scheduled', 's5:scheduled', 's6:scheduled', 's7:scheduled'],
      );
      await env.sleep(5 * HOUR_MS);
      assert.deepEqual(notified, ids);
      assert.deepEqual(
        finished.map((s) => s.showId),
        ids,
      );
      await recordHistory(handle, 'tvStationWorkflow-continue-as-new');
    });
  });

  it('completes once idle with nothing scheduled, after recording its last show', async () => {
    const { activities, finished } = memoryActivities();
    await run(activities, async (tq) => {
      const stationId = uniqueId('st');
      const workflowId = workflowIds.tvStation(stationId);
      started.add(workflowId);
      const handle = await env.client.workflow.start<typeof tvStationWorkflow>('tvStationWorkflow', {
        workflowId,
        taskQueue: tq,
        args: [{ stationId, ownerId: 'creator-1', settings: { ...settings, idleMs: 24 * HOUR_MS } }],
      });
      const startMs = (await env.currentTimeMs()) + HOUR_MS;
      await handle.executeUpdate(scheduleShowUpdate, {
        args: [{ showId: 'last', title: 'Last', startMs, durationMs: HOUR_MS }],
      });
      await handle.result();
      assert.deepEqual(
        finished.map((s) => `${s.showId}:${s.status}`),
        ['last:ended'],
      );
      // The close time, not the test clock: once nothing runs, time skipping jumps to other tests' timers.
      const closedAt = (await handle.describe()).closeTime?.getTime() ?? Number.NaN;
      const idleHours = (closedAt - (startMs + HOUR_MS)) / HOUR_MS;
      assert.ok(idleHours >= 24 && idleHours < 24.1, `completed ${idleHours} h after the show ended, not 24`);
      await recordHistory(handle, 'tvStationWorkflow-idle');
    });
  });
});
