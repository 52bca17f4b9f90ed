import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { createActivities } from '../../activities/index.js';
import type { NotificationInput } from '../../activities/identity.js';
import { HOUR_MS } from '../../src/domain/decay.js';
import type { OnboardingProgressEvent, OnboardingStage } from '../../src/domain/onboarding.js';
import { OnboardingStep } from '../../workflows/search-attributes.js';
import { workflowIds } from '../../workflows/ids.js';
import {
  getOnboardingProgressQuery,
  onboardingProgressSignal,
  type OnboardingSettings,
} from '../../workflows/onboarding/messages.js';
import type { onboardingWorkflow } from '../../workflows/onboarding/workflow.js';
import { recordHistory } from '../helpers/histories.js';
import { uniqueId, useTimeSkippingSuite } from '../helpers/workflow-env.js';

type Activities = Pick<ReturnType<typeof createActivities>, 'writeNotification' | 'recordOnboardingStage'>;

const settings: OnboardingSettings = { reminderQuietMs: 24 * HOUR_MS, maxRemindersPerStep: 2 };

function memoryActivities() {
  const notifications = new Map<string, NotificationInput>();
  const stages: OnboardingStage[] = [];
  const activities: Activities = {
    async writeNotification(input) {
      notifications.set(input.id, input);
      return true;
    },
    async recordOnboardingStage(_userId, stage) {
      stages.push(stage);
    },
  };
  return { activities, notifications, stages };
}

describe('onboardingWorkflow (time-skipping)', () => {
  const suite = useTimeSkippingSuite();
  const { started, run } = suite;

  function start(taskQueue: string, userId: string, overrides: Partial<OnboardingSettings> = {}) {
    started.add(workflowIds.onboarding(userId));
    return suite.env.client.workflow.signalWithStart<typeof onboardingWorkflow, [OnboardingProgressEvent]>(
      'onboardingWorkflow',
      {
        workflowId: workflowIds.onboarding(userId),
        taskQueue,
        args: [{ userId, settings: { ...settings, ...overrides } }],
        signal: onboardingProgressSignal,
        signalArgs: [{ kind: 'handle_claimed', handle: userId }],
      },
    );
  }

  it('reminds after each quiet period, then stops once every step is done', async () => {
    const { activities, notifications, stages } = memoryActivities();
    const userId = uniqueId('u');
    await run(activities, async (tq) => {
      const handle = await start(tq, userId);
      await suite.env.sleep(HOUR_MS);
      assert.equal(notifications.size, 0, 'no reminder inside the quiet period');
      assert.equal((await handle.query(getOnboardingProgressQuery)).stage, 'pick_interests');

      await suite.env.sleep(24 * HOUR_MS);
      const first = [...notifications.values()];
      assert.equal(first.length, 1);
      assert.equal(first[0]?.recipient, userId);
      assert.deepEqual(first[0]?.data, { step: 'pick_interests', reminder: 1 });
      assert.equal(first[0]?.silencedBy, 'reminders', 'users who turned reminders off are spared');

      // Two topics are too few: dropped, the step stays open.
      await handle.signal(onboardingProgressSignal, { kind: 'interests_picked', topics: ['jazz', 'jazz', 'chess'] });
      await handle.signal(onboardingProgressSignal, { kind: 'interests_picked', topics: ['Jazz', 'chess', 'cooking'] });
      await handle.signal(onboardingProgressSignal, { kind: 'creator_followed', creatorId: 'c1' });
      const midway = await handle.query(getOnboardingProgressQuery);
      assert.equal(midway.stage, 'first_engagement');
      assert.deepEqual(midway.interests, ['jazz', 'chess', 'cooking']);

      await suite.env.sleep(25 * HOUR_MS);
      assert.ok(
        [...notifications.values()].some((n) => n.data?.step === 'first_engagement'),
        'reminded about the step still open',
      );
      await handle.signal(onboardingProgressSignal, { kind: 'engaged', eventId: 'e1' });
      assert.equal(await handle.result(), 'completed');
      const sent = notifications.size;
      await suite.env.sleep(10 * 24 * HOUR_MS);
      assert.equal(notifications.size, sent, 'no reminders after completion');
      assert.deepEqual(stages, ['completed']);
      const { typedSearchAttributes } = await handle.describe();
      assert.equal(typedSearchAttributes.get(OnboardingStep), 'completed');
      await recordHistory(handle, 'onboardingWorkflow-complete');
    });
  });

  it('gives up as abandoned after the last reminder of a step goes unanswered', async () => {
    const { activities, notifications, stages } = memoryActivities();
    const userId = uniqueId('u');
    await run(activities, async (tq) => {
      const handle = await start(tq, userId, { maxRemindersPerStep: 1 });
      assert.equal(await handle.result(), 'abandoned');
      assert.equal(notifications.size, 1);
      assert.deepEqual(stages, ['abandoned']);
    });
  });
});
