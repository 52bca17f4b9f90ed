import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { createActivities } from '../../activities/index.js';
import type { CreatorStats } from '../../src/domain/creator-score.js';
import { DAY_MS, HOUR_MS } from '../../src/domain/decay.js';
import type { EngagementEvent, InterestProfile } from '../../src/domain/interest-profile.js';
import { workflowIds } from '../../workflows/ids.js';
import {
  creatorMetricsSignal,
  getStatsQuery,
  type CreatorMetricsBatch,
  type CreatorStatsSettings,
  type MetricPart,
} from '../../workflows/creator-stats/messages.js';
import type { creatorStatsWorkflow } from '../../workflows/creator-stats/workflow.js';
import {
  engagementsSignal,
  getProfileQuery,
  type EngagementBatch,
  type UserInterestSettings,
} from '../../workflows/user-interest/messages.js';
import type { userInterestWorkflow } from '../../workflows/user-interest/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { eventually } from '../helpers/platform.js';
import { uniqueId, useTimeSkippingSuite } from '../helpers/workflow-env.js';

/**
 * No signal is lost at the end of a run (issue 14, finding 4): each test delivers a signal while the run's last
 * write is in flight (the activity itself sends it, so it certainly arrives during the await) and checks exact
 * counts after continue-as-new, and after idle completion and recreation from the read model.
 */
type CreatorActivities = Pick<
  ReturnType<typeof createActivities>,
  'publishCreatorStats' | 'loadCreatorStats' | 'writeCreatorSnapshot'
>;
type InterestActivities = Pick<ReturnType<typeof createActivities>, 'persistInterestProfile' | 'restoreInterestState'>;

const view = (id: string): MetricPart => ({ id, delta: { views: 1 } });
const like = (eventId: string, atMs: number): EngagementEvent => ({
  eventId,
  type: 'like',
  occurredAtMs: atMs,
  topics: ['jazz'],
  contentType: 'video',
});

describe('run ends lose no signal (time-skipping)', () => {
  const suite = useTimeSkippingSuite();
  const { started, run } = suite;

  /** Creator read model in memory; `during` runs inside the first publish that `when` picks, before it returns. */
  function creatorActivities(
    when: (call: { completing: boolean; views: number }) => boolean,
    during: () => Promise<void>,
  ) {
    const published: { stats: CreatorStats; revision: number; completedRunPartIds?: string[] }[] = [];
    let fired = false;
    const activities: CreatorActivities = {
      async publishCreatorStats({ stats, revision, completedRunPartIds }) {
        if (!fired && when({ completing: completedRunPartIds !== undefined, views: stats.totals.views })) {
          fired = true;
          await during();
        }
        published.push({ stats, revision, ...(completedRunPartIds ? { completedRunPartIds } : {}) });
      },
      async loadCreatorStats() {
        return published.at(-1) ?? null;
      },
      async writeCreatorSnapshot() {
        return true;
      },
    };
    return { activities, published };
  }

  function sendParts(taskQueue: string, creatorId: string, parts: MetricPart[], settings: CreatorStatsSettings) {
    started.add(workflowIds.creatorStats(creatorId));
    return suite.env.client.workflow.signalWithStart<typeof creatorStatsWorkflow, [CreatorMetricsBatch]>(
      'creatorStatsWorkflow',
      {
        workflowId: workflowIds.creatorStats(creatorId),
        taskQueue,
        args: [{ creatorId, settings }],
        signal: creatorMetricsSignal,
        signalArgs: [{ parts }],
      },
    );
  }
  const lateParts = (creatorId: string, parts: MetricPart[]) => () =>
    suite.env.client.workflow.getHandle(workflowIds.creatorStats(creatorId)).signal(creatorMetricsSignal, { parts });

  it('creator stats: a part signalled during the publish before continue-as-new is applied by the next run', async () => {
    const creatorId = uniqueId('cr-can');
    const settings = { idleMs: 30 * DAY_MS, persistDebounceMs: 1_000, partsPerRun: 2 };
    const { activities } = creatorActivities((c) => c.views === 2, lateParts(creatorId, [view('late')]));
    await run(activities, async (tq) => {
      const first = await sendParts(tq, creatorId, [view('a'), view('b')], settings);
      const handle = suite.env.client.workflow.getHandle(workflowIds.creatorStats(creatorId));
      const next = await eventually(
        async () => ({ runId: (await handle.describe()).runId, view: await handle.query(getStatsQuery) }),
        (s) => s.runId !== first.signaledRunId && s.view.pendingParts === 0 && s.view.revision >= 3,
        'the next run to apply the late part',
        100,
      );
      assert.equal(next.view.stats.totals.views, 3);
      assert.equal(next.view.runParts, 1, 'the late part was applied by the continued run');
    });
  });

  it('creator stats: a part signalled during the completing publish is applied; a recreated run counts exactly', async () => {
    const creatorId = uniqueId('cr-idle');
    const settings = { idleMs: HOUR_MS, persistDebounceMs: 1_000, partsPerRun: 1_000 };
    const { activities, published } = creatorActivities((c) => c.completing, lateParts(creatorId, [view('late')]));
    await run(activities, async (tq) => {
      const first = await sendParts(tq, creatorId, [view('a')], settings);
      await first.result();
      await recordHistory(first, 'creatorStatsWorkflow-late-part-at-completion');
      const last = published.at(-1);
      assert.equal(last?.stats.totals.views, 2, 'the late part is in the completed run’s read model');
      assert.ok(last?.completedRunPartIds?.includes('late'));

      // Recreated from the read model: a redelivered late part is dropped, a new one counts.
      const second = await sendParts(tq, creatorId, [view('late'), view('c')], settings);
      await second.result();
      assert.equal(published.at(-1)?.stats.totals.views, 3);
    });
  });

  /** Interest read model in memory; `during` runs inside the first persist that `when` picks. */
  function interestActivities(when: (profile: InterestProfile) => boolean, during: () => Promise<void>) {
    const saved = new Map<string, { profile: InterestProfile; ids: string[] }>();
    let fired = false;
    const activities: InterestActivities = {
      async persistInterestProfile(profile, eventIds) {
        if (!fired && when(profile)) {
          fired = true;
          await during();
        }
        const current = saved.get(profile.userId);
        if (!current || current.profile.appliedEvents <= profile.appliedEvents) {
          saved.set(profile.userId, { profile, ids: eventIds ?? [] });
        }
      },
      async restoreInterestState(userId) {
        const s = saved.get(userId);
        return {
          profile: s?.profile ?? null,
          contentTypeOptOuts: [],
          onboardingOpen: false,
          appliedEventIds: s?.ids ?? [],
        };
      },
    };
    return { activities, saved };
  }

  function sendEvents(taskQueue: string, userId: string, events: EngagementEvent[], settings: UserInterestSettings) {
    started.add(workflowIds.userInterest(userId));
    return suite.env.client.workflow.signalWithStart<typeof userInterestWorkflow, [{ events: EngagementEvent[] }]>(
      'userInterestWorkflow',
      {
        workflowId: workflowIds.userInterest(userId),
        taskQueue,
        args: [{ userId, settings }],
        signal: engagementsSignal,
        signalArgs: [{ events }],
      },
    );
  }

  it('user interest: events signalled during the last persists count exactly, across continue-as-new and idle', async () => {
    const userId = uniqueId('u-ends');
    const settings: UserInterestSettings = {
      halfLifeMs: 7 * DAY_MS,
      topK: 50,
      idleMs: HOUR_MS,
      tickMs: 10 * HOUR_MS,
      persistDebounceMs: 1_000,
      eventsPerRun: 3,
    };
    const handle = () => suite.env.client.workflow.getHandle(workflowIds.userInterest(userId));
    // The persist of the third event (at continue-as-new, or the leading edge) receives a fourth event meanwhile.
    const { activities, saved } = interestActivities(
      (p) => p.appliedEvents === 3,
      async () => {
        await handle().signal(engagementsSignal, { events: [like('late', Date.now())] });
      },
    );
    await run(activities, async (tq) => {
      const t0 = await suite.env.currentTimeMs();
      const first = await sendEvents(tq, userId, [like('e1', t0)], settings);
      await handle().signal(engagementsSignal, { events: [like('e2', t0), like('e3', t0)] });
      await eventually(
        async () => ({ runId: (await handle().describe()).runId, view: await handle().query(getProfileQuery) }),
        (s) => s.runId !== first.signaledRunId && s.view.profile.appliedEvents === 4,
        'the continued run to hold all four events',
        100,
      );
      await handle().result();
      assert.equal(saved.get(userId)?.profile.appliedEvents, 4, 'the completed run persisted all four');
      await recordHistory(
        suite.env.client.workflow.getHandle(workflowIds.userInterest(userId), first.signaledRunId),
        'userInterestWorkflow-late-event-at-can',
      );

      // Recreated from the read model: a redelivered event is dropped, a new one counts.
      const again = await sendEvents(tq, userId, [like('late', t0), like('e5', t0)], settings);
      await again.result();
      assert.equal(saved.get(userId)?.profile.appliedEvents, 5);
    });
  });

  it('dedup cannot be outrun: a re-delivered part is dropped whole, past the event-id window and idle completion', async () => {
    const userId = uniqueId('u-parts');
    const settings: UserInterestSettings = {
      halfLifeMs: 7 * DAY_MS,
      topK: 50,
      idleMs: HOUR_MS,
      tickMs: 10 * HOUR_MS,
      persistDebounceMs: 1_000,
      eventsPerRun: 100_000,
    };
    const { activities, saved } = interestActivities(
      () => false,
      async () => undefined,
    );
    const handle = () => suite.env.client.workflow.getHandle(workflowIds.userInterest(userId));
    const part = (b: number, t: number) => ({
      events: Array.from({ length: 500 }, (_, i) => like(`b${b}-${i}`, t)),
      parts: [{ id: `part/b${b}:0`, count: 500 }],
    });
    await run(activities, async (tq) => {
      const t0 = await suite.env.currentTimeMs();
      // One relay round of nine batches for this user: 4 500 events, more than the 4 000 event ids remembered.
      const round = Array.from({ length: 9 }, (_, b) => part(b, t0));
      started.add(workflowIds.userInterest(userId));
      await suite.env.client.workflow.signalWithStart<typeof userInterestWorkflow, [EngagementBatch]>(
        'userInterestWorkflow',
        {
          workflowId: workflowIds.userInterest(userId),
          taskQueue: tq,
          args: [{ userId, settings }],
          signal: engagementsSignal,
          signalArgs: [{ events: round.flatMap((r) => r.events), parts: round.flatMap((r) => r.parts) }],
        },
      );
      // The relay died before closing the round: its first batch arrives again.
      await handle().signal(engagementsSignal, part(0, t0));
      const view = await eventually(
        () => handle().query(getProfileQuery),
        (v) => v.duplicatesDropped + v.profile.appliedEvents >= 5_000,
        'both signals handled',
        100,
      );
      assert.deepEqual([view.profile.appliedEvents, view.duplicatesDropped], [4_500, 500]);
      await handle().result();

      // After idle completion a fresh run restores the part ids with the profile.
      const again = await sendEvents(tq, userId, [like('new', t0)], settings);
      await handle().signal(engagementsSignal, part(1, t0));
      await again.result();
      assert.equal(saved.get(userId)?.profile.appliedEvents, 4_501);
    });
  });
});
