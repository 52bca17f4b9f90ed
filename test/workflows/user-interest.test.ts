import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { createActivities } from '../../activities/index.js';
import { DAY_MS, HOUR_MS } from '../../src/domain/decay.js';
import type { EngagementEvent, InterestProfile } from '../../src/domain/interest-profile.js';
import { workflowIds } from '../../src/temporal/workflow-ids.js';
import {
  engagementsSignal,
  getProfileQuery,
  type UserInterestSettings,
} from '../../workflows/user-interest/messages.js';
import type { userInterestWorkflow } from '../../workflows/user-interest/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { bundleWorkflows, createTimeSkippingEnv, runWithWorker, uniqueId } from '../helpers/workflow-env.js';

/** Only the activities this workflow calls. */
type Activities = Pick<ReturnType<typeof createActivities>, 'persistInterestProfile' | 'loadInterestProfile'>;

const settings: UserInterestSettings = {
  halfLifeMs: 7 * DAY_MS,
  topK: 50,
  idleMs: 30 * DAY_MS,
  tickMs: HOUR_MS,
  persistDebounceMs: 1_000,
  eventsPerRun: 1_000,
};

/** The read model, kept in memory: workflow tests replace activities with a typed object literal. */
function memoryActivities() {
  const saved = new Map<string, InterestProfile>();
  const writes: InterestProfile[] = [];
  const activities: Activities = {
    async persistInterestProfile(profile) {
      writes.push(profile);
      const current = saved.get(profile.userId);
      if (!current || current.appliedEvents <= profile.appliedEvents) saved.set(profile.userId, profile);
    },
    async loadInterestProfile(userId) {
      return saved.get(userId) ?? null;
    },
  };
  return { activities, saved, writes };
}

function likes(n: number, atMs: number, topic = 'cooking', prefix = 'e'): EngagementEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    eventId: `${prefix}${i}`,
    type: 'like' as const,
    occurredAtMs: atMs,
    topics: [topic],
    contentType: 'video' as const,
  }));
}

describe('userInterestWorkflow (time-skipping)', () => {
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

  const run = (activities: Activities, body: (taskQueue: string) => Promise<void>) =>
    runWithWorker(env, bundle, activities, started, body);

  function send(
    taskQueue: string,
    userId: string,
    events: EngagementEvent[],
    overrides: Partial<UserInterestSettings> = {},
  ) {
    started.add(workflowIds.userInterest(userId));
    return env.client.workflow.signalWithStart<typeof userInterestWorkflow, [{ events: EngagementEvent[] }]>(
      'userInterestWorkflow',
      {
        workflowId: workflowIds.userInterest(userId),
        taskQueue,
        args: [{ userId, settings: { ...settings, ...overrides } }],
        signal: engagementsSignal,
        signalArgs: [{ events }],
      },
    );
  }

  it('halves a topic after one half-life (7 simulated days) with no new events', async () => {
    const { activities, saved } = memoryActivities();
    const userId = uniqueId('u');
    await run(activities, async (tq) => {
      const t0 = await env.currentTimeMs();
      const handle = await send(tq, userId, likes(4, t0));
      await env.sleep(2_000);
      const initial = (await handle.query(getProfileQuery)).profile.topics.cooking;
      assert.ok(initial && initial > 0);
      await env.sleep(7 * DAY_MS);
      const persisted = saved.get(userId);
      assert.ok(persisted);
      const elapsed = persisted.updatedAtMs - t0;
      assert.ok(Math.abs(elapsed - 7 * DAY_MS) <= HOUR_MS + 5_000, `last decay tick at ${elapsed} ms`);
      const ratio = (persisted.topics.cooking ?? 0) / initial;
      assert.ok(Math.abs(ratio - 0.5) < 0.01, `ratio after 7 days was ${ratio}`);
    });
  });

  it('completes when idle and a new event restores the profile from the read model', async () => {
    const { activities, saved } = memoryActivities();
    const userId = uniqueId('u');
    const idle = { idleMs: 2 * DAY_MS };
    await run(activities, async (tq) => {
      const t0 = await env.currentTimeMs();
      const first = await send(tq, userId, likes(3, t0), idle);
      await env.sleep(3 * DAY_MS);
      const firstRun = await env.client.workflow.getHandle(first.workflowId, first.signaledRunId).describe();
      assert.equal(firstRun.status.name, 'COMPLETED', 'completed after the idle period');
      assert.equal(saved.get(userId)?.appliedEvents, 3);

      const t1 = await env.currentTimeMs();
      const second = await send(tq, userId, likes(1, t1, 'gaming', 'g'), idle);
      assert.notEqual(second.signaledRunId, first.signaledRunId);
      await env.sleep(2_000);
      const { profile } = await second.query(getProfileQuery);
      assert.equal(profile.appliedEvents, 4);
      assert.ok((profile.topics.cooking ?? 0) > 0, 'restored topic kept');
      assert.ok((profile.topics.gaming ?? 0) > 0, 'new topic added');
      await recordHistory(
        env.client.workflow.getHandle(first.workflowId, first.signaledRunId),
        'userInterestWorkflow-idle',
      );
    });
  });

  it('keeps its state across continue-as-new and applies a resent eventId once', async () => {
    const { activities } = memoryActivities();
    const userId = uniqueId('u');
    const small = { eventsPerRun: 10 };
    await run(activities, async (tq) => {
      const t0 = await env.currentTimeMs();
      const handle = await send(tq, userId, likes(12, t0), small);
      await env.sleep(2_000);
      const firstRun = handle.signaledRunId;
      const described = await env.client.workflow.getHandle(handle.workflowId).describe();
      assert.notEqual(described.runId, firstRun, 'continued as new');

      await send(tq, userId, likes(12, t0), small); // the same eventIds again
      await send(tq, userId, likes(2, t0, 'music', 'm'), small);
      await env.sleep(2_000);
      const view = await env.client.workflow.getHandle(handle.workflowId).query(getProfileQuery);
      assert.equal(view.profile.appliedEvents, 14);
      assert.ok((view.profile.topics.music ?? 0) > 0);
      assert.equal(view.duplicatesDropped, 12);
      await recordHistory(env.client.workflow.getHandle(handle.workflowId), 'userInterestWorkflow-dedupe-after-can');
    });
  });
});
