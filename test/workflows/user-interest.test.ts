import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type { createActivities } from '../../activities/index.js';
import { DAY_MS, HOUR_MS } from '../../src/domain/decay.js';
import type { ContentType } from '../../src/domain/engagement.js';
import type { EngagementEvent, InterestProfile } from '../../src/domain/interest-profile.js';
import { workflowIds } from '../../workflows/ids.js';
import { onboardingSeedEventId, type OnboardingProgressEvent } from '../../src/domain/onboarding.js';
import {
  getOnboardingProgressQuery,
  onboardingProgressSignal,
  type OnboardingSettings,
} from '../../workflows/onboarding/messages.js';
import type { onboardingWorkflow } from '../../workflows/onboarding/workflow.js';
import {
  contentTypeOptOutsSignal,
  engagementsSignal,
  getProfileQuery,
  type ContentTypeOptOutsUpdate,
  type UserInterestSettings,
} from '../../workflows/user-interest/messages.js';
import type { userInterestWorkflow } from '../../workflows/user-interest/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { uniqueId, useTimeSkippingSuite } from '../helpers/workflow-env.js';

/** Only the activities this workflow calls. */
type Activities = Pick<ReturnType<typeof createActivities>, 'persistInterestProfile' | 'restoreInterestState'>;

const settings: UserInterestSettings = {
  halfLifeMs: 7 * DAY_MS,
  topK: 50,
  idleMs: 30 * DAY_MS,
  tickMs: HOUR_MS,
  persistDebounceMs: 1_000,
  eventsPerRun: 1_000,
};

/**
 * The read model, kept in memory: workflow tests replace activities with a typed object literal. Identities are
 * reduced to their opt-outs and whose onboarding is open.
 */
function memoryActivities(identityOptOuts: ContentType[] = [], onboardingOpenFor: ReadonlySet<string> = new Set()) {
  const saved = new Map<string, InterestProfile>();
  const appliedEventIds = new Map<string, string[]>();
  const writes: InterestProfile[] = [];
  const activities: Activities = {
    async persistInterestProfile(profile, eventIds) {
      writes.push(profile);
      const current = saved.get(profile.userId);
      if (current && current.appliedEvents > profile.appliedEvents) return;
      saved.set(profile.userId, profile);
      if (eventIds) appliedEventIds.set(profile.userId, eventIds);
      else appliedEventIds.delete(profile.userId);
    },
    async restoreInterestState(userId) {
      return {
        profile: saved.get(userId) ?? null,
        contentTypeOptOuts: identityOptOuts,
        onboardingOpen: onboardingOpenFor.has(userId),
        appliedEventIds: appliedEventIds.get(userId) ?? [],
      };
    },
  };
  return { activities, saved, writes };
}

function likes(
  n: number,
  atMs: number,
  topic = 'cooking',
  prefix = 'e',
  contentType: ContentType = 'video',
): EngagementEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    eventId: `${prefix}${i}`,
    type: 'like' as const,
    occurredAtMs: atMs,
    topics: [topic],
    contentType,
  }));
}

/** How many signals a workflow run sent to other workflows, from its history. */
async function externalSignals(handle: WorkflowHandle): Promise<{ sent: number; failed: number }> {
  const { events } = await handle.fetchHistory();
  return {
    sent: (events ?? []).filter((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes).length,
    failed: (events ?? []).filter((e) => e.signalExternalWorkflowExecutionFailedEventAttributes).length,
  };
}

describe('userInterestWorkflow (time-skipping)', () => {
  const suite = useTimeSkippingSuite();
  const { started, run } = suite;

  function send(
    taskQueue: string,
    userId: string,
    events: EngagementEvent[],
    overrides: Partial<UserInterestSettings> = {},
  ) {
    started.add(workflowIds.userInterest(userId));
    return suite.env.client.workflow.signalWithStart<typeof userInterestWorkflow, [{ events: EngagementEvent[] }]>(
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
      const t0 = await suite.env.currentTimeMs();
      const handle = await send(tq, userId, likes(4, t0));
      await suite.env.sleep(2_000);
      const initial = (await handle.query(getProfileQuery)).profile.topics.cooking;
      assert.ok(initial && initial > 0);
      await suite.env.sleep(7 * DAY_MS);
      const persisted = saved.get(userId);
      assert.ok(persisted);
      const elapsed = persisted.updatedAtMs - t0;
      assert.ok(Math.abs(elapsed - 7 * DAY_MS) <= HOUR_MS + 5_000, `last decay tick at ${elapsed} ms`);
      const ratio = (persisted.topics.cooking ?? 0) / initial;
      assert.ok(Math.abs(ratio - 0.5) < 0.01, `ratio after 7 days was ${ratio}`);
    });
  });

  it("completes when idle; the next run restores the profile and drops a redelivery of the first run's events", async () => {
    const { activities, saved } = memoryActivities();
    const userId = uniqueId('u');
    const idle = { idleMs: 2 * DAY_MS };
    await run(activities, async (tq) => {
      const t0 = await suite.env.currentTimeMs();
      const first = await send(tq, userId, likes(3, t0), idle);
      await suite.env.sleep(3 * DAY_MS);
      const firstRun = await suite.env.client.workflow.getHandle(first.workflowId, first.signaledRunId).describe();
      assert.equal(firstRun.status.name, 'COMPLETED', 'completed after the idle period');
      assert.equal(saved.get(userId)?.appliedEvents, 3);

      const t1 = await suite.env.currentTimeMs();
      // A relay that died before closing the first run's outbox entry sends its events again with the new one.
      const second = await send(tq, userId, [...likes(3, t0), ...likes(1, t1, 'gaming', 'g')], idle);
      assert.notEqual(second.signaledRunId, first.signaledRunId);
      await suite.env.sleep(2_000);
      const { profile, duplicatesDropped } = await second.query(getProfileQuery);
      assert.equal(profile.appliedEvents, 4);
      assert.equal(duplicatesDropped, 3);
      assert.ok((profile.topics.cooking ?? 0) > 0, 'restored topic kept');
      assert.ok((profile.topics.gaming ?? 0) > 0, 'new topic added');
      await recordHistory(
        suite.env.client.workflow.getHandle(first.workflowId, first.signaledRunId),
        'userInterestWorkflow-idle',
      );
    });
  });

  it('keeps its state across continue-as-new and applies a resent eventId once', async () => {
    const { activities } = memoryActivities();
    const userId = uniqueId('u');
    const small = { eventsPerRun: 10 };
    await run(activities, async (tq) => {
      const t0 = await suite.env.currentTimeMs();
      const handle = await send(tq, userId, likes(12, t0), small);
      await suite.env.sleep(2_000);
      const firstRun = handle.signaledRunId;
      const described = await suite.env.client.workflow.getHandle(handle.workflowId).describe();
      assert.notEqual(described.runId, firstRun, 'continued as new');

      await send(tq, userId, likes(12, t0), small); // the same eventIds again
      await send(tq, userId, likes(2, t0, 'music', 'm'), small);
      await suite.env.sleep(2_000);
      const view = await suite.env.client.workflow.getHandle(handle.workflowId).query(getProfileQuery);
      assert.equal(view.profile.appliedEvents, 14);
      assert.ok((view.profile.topics.music ?? 0) > 0);
      assert.equal(view.duplicatesDropped, 12);
      await recordHistory(
        suite.env.client.workflow.getHandle(handle.workflowId),
        'userInterestWorkflow-dedupe-after-can',
      );
    });
  });

  it('zeroes content types the user opted out of, persists the list and keeps it across continue-as-new', async () => {
    const { activities, saved } = memoryActivities();
    const userId = uniqueId('u');
    const small = { eventsPerRun: 10 };
    await run(activities, async (tq) => {
      const t0 = await suite.env.currentTimeMs();
      const handle = await send(tq, userId, [...likes(2, t0, 'jazz', 'l', 'live'), ...likes(2, t0)], small);
      await suite.env.sleep(2_000);
      assert.ok((saved.get(userId)?.contentTypes.live ?? 0) > 0);
      assert.deepEqual(saved.get(userId)?.contentTypeOptOuts, [], 'every new profile carries the field');

      await handle.signal(contentTypeOptOutsSignal, { contentTypeOptOuts: ['live'] });
      await suite.env.sleep(2_000);
      const optedOut = saved.get(userId);
      assert.deepEqual(optedOut?.contentTypeOptOuts, ['live']);
      assert.equal(optedOut?.contentTypes.live, 0);
      assert.ok((optedOut?.contentTypes.video ?? 0) > 0);
      assert.equal(optedOut?.appliedEvents, 4, 'persisted without a new event');

      await send(tq, userId, likes(8, t0, 'jazz', 'm', 'live'), small);
      await suite.env.sleep(2_000);
      const current = await suite.env.client.workflow.getHandle(handle.workflowId).describe();
      assert.notEqual(current.runId, handle.signaledRunId, 'continued as new');
      const { profile } = await suite.env.client.workflow.getHandle(handle.workflowId).query(getProfileQuery);
      assert.equal(profile.appliedEvents, 12);
      assert.deepEqual(profile.contentTypeOptOuts, ['live']);
      assert.equal(profile.contentTypes.live, 0);
      assert.equal(saved.get(userId)?.contentTypes.live, 0);
      await recordHistory(
        suite.env.client.workflow.getHandle(handle.workflowId, handle.signaledRunId),
        'userInterestWorkflow-opt-outs',
      );
    });
  });

  it('restores opt-outs from the identity on a fresh start, and a preference change alone creates the profile', async () => {
    const { activities, saved } = memoryActivities(['short']);
    const [engaged, quiet] = [uniqueId('u'), uniqueId('u')];
    await run(activities, async (tq) => {
      const t0 = await suite.env.currentTimeMs();
      await send(tq, engaged, [...likes(2, t0, 'jazz', 's', 'short'), ...likes(1, t0)]);
      started.add(workflowIds.userInterest(quiet));
      await suite.env.client.workflow.signalWithStart<typeof userInterestWorkflow, [ContentTypeOptOutsUpdate]>(
        'userInterestWorkflow',
        {
          workflowId: workflowIds.userInterest(quiet),
          taskQueue: tq,
          args: [{ userId: quiet, settings }],
          signal: contentTypeOptOutsSignal,
          signalArgs: [{ contentTypeOptOuts: ['image', 'live'] }],
        },
      );
      await suite.env.sleep(2_000);
      assert.deepEqual(saved.get(engaged)?.contentTypeOptOuts, ['short']);
      assert.equal(saved.get(engaged)?.contentTypes.short, 0);
      assert.ok((saved.get(engaged)?.contentTypes.video ?? 0) > 0);
      assert.deepEqual(
        saved.get(quiet)?.contentTypeOptOuts,
        ['live', 'image'],
        'the signal is newer than the identity',
      );
      assert.equal(saved.get(quiet)?.appliedEvents, 0);
    });
  });

  it("completes onboarding's first-engagement step at the first real engagement, not at the seeded interests", async () => {
    const [newcomer, veteran, orphan] = [uniqueId('u'), uniqueId('u'), uniqueId('u')];
    // The orphan's identity says onboarding is open, but no onboarding workflow runs (e.g. it was terminated).
    const interest = memoryActivities([], new Set([newcomer, orphan]));
    const activities = {
      ...interest.activities,
      writeNotification: async () => true,
      recordOnboardingStage: async () => undefined,
    };
    const onboardingSettings: OnboardingSettings = { reminderQuietMs: 24 * HOUR_MS, maxRemindersPerStep: 2 };
    await run(activities, async (tq) => {
      started.add(workflowIds.onboarding(newcomer));
      const onboarding = await suite.env.client.workflow.signalWithStart<
        typeof onboardingWorkflow,
        [OnboardingProgressEvent]
      >('onboardingWorkflow', {
        workflowId: workflowIds.onboarding(newcomer),
        taskQueue: tq,
        args: [{ userId: newcomer, settings: onboardingSettings }],
        signal: onboardingProgressSignal,
        signalArgs: [{ kind: 'handle_claimed', handle: newcomer }],
      });
      const t0 = await suite.env.currentTimeMs();
      const seeds = ['jazz', 'chess', 'cooking'].map((topic) => ({
        eventId: onboardingSeedEventId(topic),
        type: 'follow' as const,
        occurredAtMs: t0,
        topics: [topic],
      }));
      const interestHandle = await send(tq, newcomer, seeds);
      await suite.env.sleep(2_000);
      assert.equal(interest.saved.get(newcomer)?.appliedEvents, 3);
      const seeded = await onboarding.query(getOnboardingProgressQuery);
      assert.ok(!seeded.done.includes('first_engagement'), `done after seeding: ${seeded.done.join(', ')}`);

      await send(tq, newcomer, likes(2, t0, 'jazz', 'first'));
      await send(tq, newcomer, likes(1, t0, 'jazz', 'second'));
      await suite.env.sleep(2_000);
      const progress = await onboarding.query(getOnboardingProgressQuery);
      assert.ok(progress.done.includes('first_engagement'), `done: ${progress.done.join(', ')}`);
      assert.deepEqual(await externalSignals(interestHandle), { sent: 1, failed: 0 }, 'told once');

      // Users without an open onboarding (no identity, or onboarding over) are not signalled at all.
      const veteranHandle = await send(tq, veteran, likes(1, t0));
      // An identity that claims an open onboarding nobody runs: the signal fails, the profile carries on.
      const orphanHandle = await send(tq, orphan, likes(1, t0));
      await suite.env.sleep(2_000);
      assert.equal(interest.saved.get(veteran)?.appliedEvents, 1);
      assert.equal(interest.saved.get(orphan)?.appliedEvents, 1);
      assert.deepEqual(await externalSignals(veteranHandle), { sent: 0, failed: 0 });
      assert.deepEqual(await externalSignals(orphanHandle), { sent: 1, failed: 1 });
      await recordHistory(interestHandle, 'userInterestWorkflow-first-engagement');
    });
  });
});
