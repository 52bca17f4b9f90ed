import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { IdentityActivities } from '../../activities/identity.js';
import {
  currentOnboardingStage,
  MAX_ONBOARDING_INTERESTS,
  normaliseInterestTopics,
  stepCompletedBy,
  type OnboardingStage,
  type OnboardingStepName,
} from '../../src/domain/onboarding.js';
import { ENTITY_ACTIVITY_OPTIONS } from '../entity/activity-options.js';
import { runIsFull } from '../entity/run-end.js';
import { OnboardingStep } from '../search-attributes.js';
import { getOnboardingProgressQuery, onboardingProgressSignal, type OnboardingInput } from './messages.js';

type Activities = IdentityActivities;
const { writeNotification, recordOnboardingStage } = proxyActivities<Activities>(ENTITY_ACTIVITY_OPTIONS);

const REMINDER_TEXT: Record<OnboardingStepName, string> = {
  claim_handle: 'Pick a handle so people can find you.',
  pick_interests: 'Pick at least three interests and we will tune your feed.',
  follow_creator: 'Follow a creator you like to see their new videos first.',
  first_engagement: 'Like, share or comment on a video to get going.',
};

/** Walks a new user through the steps; ends 'completed', or 'abandoned' after the last reminder goes unanswered. */
export async function onboardingWorkflow(input: OnboardingInput): Promise<OnboardingStage> {
  const { userId, settings } = input;
  const done = new Set<OnboardingStepName>(input.carried?.done);
  let interests = input.carried?.interests ?? [];
  let remindersSent = input.carried?.remindersSent ?? 0;
  let stepReminders = input.carried?.stepReminders ?? 0;
  let progressCount = 0;
  let nextReminderAtMs: number | null = null;

  setHandler(onboardingProgressSignal, (event) => {
    const step = stepCompletedBy(event);
    if (!step || done.has(step)) return;
    done.add(step);
    if (event.kind === 'interests_picked') {
      interests = normaliseInterestTopics(event.topics).slice(0, MAX_ONBOARDING_INTERESTS);
    }
    progressCount++;
  });
  let stage: OnboardingStage = currentOnboardingStage(done);
  setHandler(getOnboardingProgressQuery, () => ({
    userId,
    stage,
    done: [...done],
    interests,
    remindersSent,
    nextReminderAtMs,
  }));

  // Each reminder is one notification per step and number, under this onboarding's first run id.
  const notificationPrefix = `${workflowInfo().workflowId}:${workflowInfo().firstExecutionRunId}`;
  let shownStage: OnboardingStage | null = null;
  for (;;) {
    stage = currentOnboardingStage(done);
    if (stage !== shownStage) {
      if (shownStage !== null) stepReminders = 0;
      upsertSearchAttributes([{ key: OnboardingStep, value: stage }]);
      shownStage = stage;
    }
    if (stage === 'completed') break;

    const seen = progressCount;
    nextReminderAtMs = Date.now() + settings.reminderQuietMs;
    const progressed = await condition(() => progressCount !== seen, settings.reminderQuietMs);
    if (!progressed) {
      if (stepReminders >= settings.maxRemindersPerStep) {
        stage = 'abandoned';
        upsertSearchAttributes([{ key: OnboardingStep, value: stage }]);
        shownStage = stage;
        nextReminderAtMs = null;
        const before = progressCount;
        await recordOnboardingStage(userId, stage, Date.now());
        if (progressCount === before) return stage;
        continue; // progress signalled while that was recorded: the user is back, so onboarding goes on
      }
      stepReminders++;
      remindersSent++;
      await writeNotification({
        id: `${notificationPrefix}:${stage}:${stepReminders}`,
        recipient: userId,
        kind: 'onboarding_reminder',
        title: 'Finish setting up your account',
        body: REMINDER_TEXT[stage],
        data: { step: stage, reminder: stepReminders },
        silencedBy: 'reminders',
      });
    }
    // Repeated progress signals (every engagement may send one) are what grows this history.
    if (runIsFull()) {
      await condition(allHandlersFinished);
      const carried = { done: [...done], interests, remindersSent, stepReminders };
      await continueAsNew<typeof onboardingWorkflow>({ ...input, carried });
    }
  }
  nextReminderAtMs = null;
  await recordOnboardingStage(userId, stage, Date.now());
  return stage;
}
