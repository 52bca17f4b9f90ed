import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { createActivities } from '../../activities/index.js';
import { nextUtcMidnight, utcDay, type CreatorSnapshot, type CreatorStats } from '../../src/domain/creator-score.js';
import { DAY_MS } from '../../src/domain/utc-day.js';
import { CreatorScore, CreatorTier } from '../../workflows/search-attributes.js';
import { workflowIds } from '../../workflows/ids.js';
import {
  creatorMetricsSignal,
  getStatsQuery,
  type CreatorMetricsBatch,
  type CreatorStatsSettings,
  type MetricPart,
} from '../../workflows/creator-stats/messages.js';
import type { creatorStatsWorkflow } from '../../workflows/creator-stats/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { eventually } from '../helpers/platform.js';
import { uniqueId, useTimeSkippingSuite } from '../helpers/workflow-env.js';

type CreatorActivities = Pick<
  ReturnType<typeof createActivities>,
  'publishCreatorStats' | 'loadCreatorStats' | 'writeCreatorSnapshot'
>;

const settings: CreatorStatsSettings = { idleMs: 30 * DAY_MS, persistDebounceMs: 1_000, partsPerRun: 1_000 };

/**
 * Read model and snapshots in memory. Snapshots are keyed by creatorId+day like the unique index; `failFirstAttempt`
 * makes the first attempt of each day's write store the snapshot and then fail, as an activity that timed out after
 * its insert would, so the retry meets the stored one.
 */
function memoryActivities(options: { failFirstAttempt?: boolean } = {}) {
  const snapshots = new Map<string, CreatorSnapshot>();
  const snapshotAttempts: string[] = [];
  const published: { stats: CreatorStats; revision: number; completedRunPartIds?: string[] }[] = [];
  const activities: CreatorActivities = {
    async publishCreatorStats({ stats, revision, completedRunPartIds }) {
      published.push({ stats, revision, ...(completedRunPartIds ? { completedRunPartIds } : {}) });
    },
    async loadCreatorStats() {
      return published.at(-1) ?? null;
    },
    async writeCreatorSnapshot({ creatorId, snapshot }) {
      const key = `${creatorId}:${snapshot.day}`;
      snapshotAttempts.push(key);
      const fresh = !snapshots.has(key);
      if (fresh) snapshots.set(key, snapshot);
      if (options.failFirstAttempt && snapshotAttempts.filter((k) => k === key).length === 1) {
        throw new Error('simulated timeout after the insert');
      }
      return fresh;
    },
  };
  return { activities, snapshots, snapshotAttempts, published };
}

describe('creatorStatsWorkflow (time-skipping)', () => {
  const suite = useTimeSkippingSuite();
  const { started, run } = suite;

  function send(
    taskQueue: string,
    creatorId: string,
    parts: MetricPart[],
    overrides: Partial<CreatorStatsSettings> = {},
  ) {
    started.add(workflowIds.creatorStats(creatorId));
    return suite.env.client.workflow.signalWithStart<typeof creatorStatsWorkflow, [CreatorMetricsBatch]>(
      'creatorStatsWorkflow',
      {
        workflowId: workflowIds.creatorStats(creatorId),
        taskQueue,
        args: [{ creatorId, settings: { ...settings, ...overrides } }],
        signal: creatorMetricsSignal,
        signalArgs: [{ parts }],
      },
    );
  }

  /**
   * Sleeps to 1 s past the next UTC midnight of the test server's clock: the day-end timer fires at midnight, and the
   * test server fires timers to the second, so the next send lands in the new day.
   */
  async function pastNextMidnight(): Promise<void> {
    const now = await suite.env.currentTimeMs();
    await suite.env.sleep(nextUtcMidnight(now) - now + 1_000);
  }

  it('writes exactly one snapshot per day over 3 simulated days, with that day’s counters', async () => {
    const { activities, snapshots, snapshotAttempts } = memoryActivities();
    const creatorId = uniqueId('c');
    await run(activities, async (tq) => {
      const days: string[] = [];
      const perDay = [
        { views: 10, likes: 2 },
        { views: 20, comments: 3 },
        { views: 30, tips: 1, tipAmount: 500, followersGained: 4 },
      ];
      let handle;
      for (const [i, delta] of perDay.entries()) {
        days.push(utcDay(await suite.env.currentTimeMs()));
        handle = await send(tq, creatorId, [{ id: `batch:d${i}`, delta }]);
        await pastNextMidnight();
      }
      assert.ok(handle);
      // The last midnight's snapshot is written by the workflow task the timer started: wait for it, not for slack.
      await eventually(
        async () => snapshots.size,
        (n) => n >= 3,
        'the third snapshot',
      );
      assert.deepEqual(
        [...snapshots.keys()],
        days.map((d) => `${creatorId}:${d}`),
      );
      assert.equal(snapshotAttempts.length, 3, 'no extra snapshot writes');
      for (const [i, day] of days.entries()) {
        const snap = snapshots.get(`${creatorId}:${day}`);
        assert.ok(snap);
        assert.deepEqual(
          Object.fromEntries(Object.entries(snap.counters).filter(([, v]) => v !== 0)),
          perDay[i],
          `counters of ${day}`,
        );
      }
      const last = snapshots.get(`${creatorId}:${days[2]}`);
      assert.equal(last?.totals.views, 60);
      assert.equal(last?.followers, 4);

      const { stats } = await handle.query(getStatsQuery);
      assert.equal(stats.today.views, 0, "today's counters reset after midnight");
      assert.equal(stats.totals.views, 60);
      assert.equal(stats.totals.tipAmount, 500);
      await recordHistory(suite.env.client.workflow.getHandle(handle.workflowId), 'creatorStatsWorkflow-3-days');
    });
  });

  it('retries a snapshot write that failed after inserting, and one snapshot remains', async () => {
    const { activities, snapshots, snapshotAttempts } = memoryActivities({ failFirstAttempt: true });
    const creatorId = uniqueId('c');
    await run(activities, async (tq) => {
      const day = utcDay(await suite.env.currentTimeMs());
      await send(tq, creatorId, [{ id: 'batch:a', delta: { views: 5 } }]);
      await pastNextMidnight();
      const key = `${creatorId}:${day}`;
      await eventually(
        async () => snapshotAttempts.length,
        (n) => n >= 2,
        'the retried snapshot write',
      );
      assert.deepEqual(snapshotAttempts, [key, key], 'the failed attempt was retried once');
      assert.equal([...snapshots.keys()].filter((k) => k === key).length, 1);
      assert.equal(snapshots.get(key)?.counters.views, 5);
    });
  });

  it('moves the CreatorTier and CreatorScore search attributes when the tier changes', async () => {
    const { activities } = memoryActivities();
    const creatorId = uniqueId('c');
    await run(activities, async (tq) => {
      const handle = await send(tq, creatorId, [{ id: 'batch:1', delta: { views: 2 } }]);
      await suite.env.sleep(5_000);
      const before = (await handle.describe()).typedSearchAttributes;
      assert.equal(before.get(CreatorTier), 'bronze');

      await send(tq, creatorId, [{ id: 'batch:2', delta: { views: 1_000, likes: 300 } }]);
      await suite.env.sleep(5_000);
      const view = await handle.query(getStatsQuery);
      assert.equal(view.stats.tier, 'silver');
      const now = (await handle.describe()).typedSearchAttributes;
      assert.equal(now.get(CreatorTier), 'silver');
      assert.equal(now.get(CreatorScore), view.stats.score);
    });
  });

  it('drops a resent part id, also across continue-as-new', async () => {
    const { activities } = memoryActivities();
    const creatorId = uniqueId('c');
    const small = { partsPerRun: 10 };
    await run(activities, async (tq) => {
      const parts = Array.from({ length: 12 }, (_, i) => ({ id: `batch:${i}`, delta: { views: 1 } }));
      const first = await send(tq, creatorId, parts, small);
      await suite.env.sleep(3_000);
      const current = suite.env.client.workflow.getHandle(first.workflowId);
      assert.notEqual((await current.describe()).runId, first.signaledRunId, 'continued as new');

      await send(tq, creatorId, parts.slice(0, 3), small); // a relay round redelivered
      await send(tq, creatorId, [{ id: 'batch:new', delta: { views: 1 } }], small);
      await suite.env.sleep(3_000);
      const view = await current.query(getStatsQuery);
      assert.equal(view.stats.totals.views, 13);
      assert.equal(view.duplicatesDropped, 3);
    });
  });

  it('completes when idle; the next run restores the totals and drops a redelivered part of the first run', async () => {
    const { activities, snapshots } = memoryActivities();
    const creatorId = uniqueId('c');
    const idle = { idleMs: 2 * DAY_MS };
    await run(activities, async (tq) => {
      const first = await send(tq, creatorId, [{ id: 'batch:1', delta: { views: 9, likes: 1 } }], idle);
      await suite.env.sleep(3 * DAY_MS);
      const firstRun = await suite.env.client.workflow.getHandle(first.workflowId, first.signaledRunId).describe();
      assert.equal(firstRun.status.name, 'COMPLETED', 'completed after the idle period');
      assert.ok(snapshots.size >= 2, 'midnights kept snapshotting while idle but alive');
      await recordHistory(
        suite.env.client.workflow.getHandle(first.workflowId, first.signaledRunId),
        'creatorStatsWorkflow-idle',
      );

      // batch:1 again: a relay that died before closing its outbox entry, back after the run completed.
      const parts = [
        { id: 'batch:1', delta: { views: 9, likes: 1 } },
        { id: 'batch:2', delta: { views: 1 } },
      ];
      const second = await send(tq, creatorId, parts, idle);
      assert.notEqual(second.signaledRunId, first.signaledRunId);
      await suite.env.sleep(2_000);
      const { stats, duplicatesDropped } = await second.query(getStatsQuery);
      assert.equal(duplicatesDropped, 1);
      assert.equal(stats.totals.views, 10, 'restored totals plus the new delta');
      assert.equal(stats.totals.likes, 1);
      assert.equal(stats.today.views, 1);
    });
  });

  it('publishes during a steady stream of deltas instead of waiting for a quiet moment', async () => {
    const { activities, published } = memoryActivities();
    const creatorId = uniqueId('c');
    const slow = { persistDebounceMs: 10_000 };
    await run(activities, async (tq) => {
      // One delta every 3 s for 30 s: each arrives before a debounce restarted by the previous one would end.
      for (let i = 0; i < 10; i++) {
        await send(tq, creatorId, [{ id: `batch:${i}`, delta: { views: 1 } }], slow);
        await suite.env.sleep(3_000);
      }
      const streamed = published.filter((p) => p.stats.totals.views > 0).map((p) => p.stats.totals.views);
      assert.ok(streamed.length >= 2, `published while the stream lasted: ${JSON.stringify(streamed)}`);
      assert.ok(streamed[0] !== undefined && streamed[0] < 10, 'the first publish came before the stream ended');
    });
  });
});
