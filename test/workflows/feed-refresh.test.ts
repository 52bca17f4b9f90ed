import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { createActivities } from '../../activities/index.js';
import type { RankingActivities } from '../../activities/ranking.js';
import { DAY_MS, HOUR_MS } from '../../src/domain/decay.js';
import type { EngagementEvent, InterestProfile } from '../../src/domain/interest-profile.js';
import { engagementsSignal, type UserInterestSettings } from '../../workflows/user-interest/messages.js';
import type { userInterestWorkflow } from '../../workflows/user-interest/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { eventually } from '../helpers/platform.js';
import { bundleWorkflows, createTimeSkippingEnv, terminateAll, uniqueId } from '../helpers/workflow-env.js';

type InterestActivities = Pick<ReturnType<typeof createActivities>, 'persistInterestProfile' | 'restoreInterestState'>;

const interest: InterestActivities = {
  persistInterestProfile: async (_profile: InterestProfile) => undefined,
  restoreInterestState: async () => ({
    profile: null,
    contentTypeOptOuts: [],
    onboardingOpen: false,
    appliedEventIds: [],
  }),
};

/** requestFeedRefresh calls a run scheduled, from its history: the activity itself runs in real time. */
async function refreshesAsked(env: TestWorkflowEnvironment, workflowId: string, runId: string): Promise<number> {
  const { events } = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  return (events ?? []).filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'requestFeedRefresh',
  ).length;
}

/**
 * Waits until the latest run has finished its last workflow task (whose commands are recorded after its completion)
 * and, with `activitiesDone`, every activity it scheduled has completed: then a refresh it asked for has run (in
 * real time, on the test's worker) and one it did not ask for never will.
 */
async function settled(env: TestWorkflowEnvironment, workflowId: string, activitiesDone = true): Promise<void> {
  await eventually(
    async () => (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [],
    (events) => {
      const lastTask = events.findLastIndex((e) => e.workflowTaskScheduledEventAttributes);
      const count = (has: (e: (typeof events)[number]) => unknown) => events.filter(has).length;
      return (
        events.slice(lastTask).some((e) => e.workflowTaskCompletedEventAttributes) &&
        (!activitiesDone ||
          count((e) => e.activityTaskScheduledEventAttributes) === count((e) => e.activityTaskCompletedEventAttributes))
      );
    },
    `${workflowId} to settle`,
  );
}

const rankingQueue = uniqueId('ranking');
const feedRefresh = { taskQueue: rankingQueue, minShift: 0.3, minIntervalMs: HOUR_MS };
const settings: UserInterestSettings = {
  halfLifeMs: 7 * DAY_MS,
  topK: 50,
  idleMs: 30 * DAY_MS,
  tickMs: 6 * HOUR_MS,
  persistDebounceMs: 1_000,
  eventsPerRun: 1_000,
  feedRefresh,
};

function likes(n: number, topic: string, prefix: string): EngagementEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    eventId: `${prefix}${i}`,
    type: 'like' as const,
    occurredAtMs: Date.now(),
    topics: [topic],
    contentType: 'video' as const,
  }));
}

describe('feed refresh from the user-interest workflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  const started = new Set<string>();

  before(async () => {
    env = await createTimeSkippingEnv();
    bundle = await bundleWorkflows();
  });
  after(async () => {
    await terminateAll(env, started);
    await env?.teardown();
  });

  it('asks for a refresh on a material topic shift, at most once per interval', async () => {
    const refreshes: number[] = [];
    const ranking: Pick<RankingActivities, 'requestFeedRefresh'> = {
      requestFeedRefresh: async () => {
        refreshes.push(Date.now());
        return 'refreshed';
      },
    };
    const taskQueue = uniqueId('interest');
    const userId = uniqueId('listener');
    const workflowId = `user-interest:${userId}`;
    started.add(workflowId);
    const workers = await Promise.all([
      Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: interest }),
      Worker.create({ connection: env.nativeConnection, taskQueue: rankingQueue, activities: ranking }),
    ]);
    const send = async (events: EngagementEvent[]) => {
      await env.client.workflow.signalWithStart<typeof userInterestWorkflow, [{ events: EngagementEvent[] }]>(
        'userInterestWorkflow',
        { workflowId, taskQueue, args: [{ userId, settings }], signal: engagementsSignal, signalArgs: [{ events }] },
      );
      await env.sleep(2_000); // past the persist debounce
      await settled(env, workflowId);
    };

    await workers[0].runUntil(
      workers[1].runUntil(async () => {
        await send(likes(5, 'cooking', 'a'));
        assert.equal(refreshes.length, 1, 'a first profile is a full shift');
        await send(likes(5, 'cooking', 'b'));
        assert.equal(refreshes.length, 1, 'same topics, same proportions: no shift');
        await send(likes(40, 'jazz', 'c'));
        assert.equal(refreshes.length, 1, 'a big shift inside the interval waits');
        await env.sleep(HOUR_MS);
        await send(likes(5, 'jazz', 'd'));
        assert.equal(refreshes.length, 2, 'after the interval the accumulated shift asks again');
        await recordHistory(env.client.workflow.getHandle(workflowId), 'userInterestWorkflow-feed-refresh');
      }),
    );
  });

  it('keeps the last refresh across continue-as-new: no needless refresh after it, a real shift still asks', async () => {
    const taskQueue = uniqueId('interest');
    const userId = uniqueId('listener');
    const workflowId = `user-interest:${userId}`;
    started.add(workflowId);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: interest,
    });
    // A lower bar than the interval test's, so 8 likes of a new topic against 12 of the old one count as a shift.
    const small = { ...settings, eventsPerRun: 10, feedRefresh: { ...feedRefresh, minShift: 0.1 } };
    const send = (events: EngagementEvent[]) =>
      env.client.workflow.signalWithStart<typeof userInterestWorkflow, [{ events: EngagementEvent[] }]>(
        'userInterestWorkflow',
        {
          workflowId,
          taskQueue,
          args: [{ userId, settings: small }],
          signal: engagementsSignal,
          signalArgs: [{ events }],
        },
      );

    await worker.runUntil(async () => {
      const first = await send(likes(5, 'cooking', 'a'));
      await env.sleep(2_000);
      await settled(env, workflowId, false); // no ranking worker here: the asks stay scheduled
      assert.equal(await refreshesAsked(env, workflowId, first.signaledRunId), 1, 'a first profile is a full shift');
      await send(likes(6, 'cooking', 'b')); // 11 events: continue-as-new
      await env.sleep(2_000);
      await settled(env, workflowId, false); // no ranking worker here: the asks stay scheduled
      const second = (await env.client.workflow.getHandle(workflowId).describe()).runId;
      assert.notEqual(second, first.signaledRunId, 'continued as new');

      await send(likes(1, 'cooking', 'c'));
      await env.sleep(2_000);
      await settled(env, workflowId, false); // no ranking worker here: the asks stay scheduled
      assert.equal(await refreshesAsked(env, workflowId, second), 0, 'same topics after continue-as-new: no refresh');
      await env.sleep(HOUR_MS);
      await send(likes(8, 'jazz', 'd'));
      await env.sleep(2_000);
      await settled(env, workflowId, false); // no ranking worker here: the asks stay scheduled
      assert.equal(await refreshesAsked(env, workflowId, second), 1, 'a shift from the carried topics asks');
    });
  });
});
