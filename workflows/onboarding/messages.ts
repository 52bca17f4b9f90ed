import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { OnboardingProgressEvent, OnboardingStage, OnboardingStepName } from '../../src/domain/onboarding.js';

/** Signal and query objects shared by the workflow, the API, src/workflow-clients/signals.ts and the tests. */
export interface OnboardingSettings {
  /** Quiet time without progress before a reminder is written. */
  reminderQuietMs: number;
  /** Reminders per step; after the last one and another quiet period with no progress, onboarding is abandoned. */
  maxRemindersPerStep: number;
}

export interface OnboardingInput {
  userId: string;
  settings: OnboardingSettings;
  /** Carried across continue-as-new. */
  carried?: { done: OnboardingStepName[]; interests: string[]; remindersSent: number; stepReminders: number };
}

export interface OnboardingProgress {
  userId: string;
  stage: OnboardingStage;
  done: OnboardingStepName[];
  interests: string[];
  remindersSent: number;
  /** When the next reminder is due if nothing happens; null once onboarding has ended. */
  nextReminderAtMs: number | null;
}

export const onboardingProgressSignal = defineSignal<[OnboardingProgressEvent]>('onboardingProgress');
export const getOnboardingProgressQuery = defineQuery<OnboardingProgress>('getOnboardingProgress');
