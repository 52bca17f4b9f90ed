import type { Config } from '../config.js';
import { DAY_MS, HOUR_MS } from '../domain/decay.js';
import type { UserInterestSettings } from '../../workflows/user-interest/messages.js';
import type { BatchScoringSettings } from '../../workflows/batch-scoring/messages.js';
import type { TvStationSettings } from '../../workflows/tv-station/messages.js';
import type { OnboardingSettings } from '../../workflows/onboarding/messages.js';
import type { VerificationSettings } from '../../workflows/verification/messages.js';
import type { BrainCommandSettings } from '../../workflows/brain-command/messages.js';
import type { CreatorStatsSettings } from '../../workflows/creator-stats/messages.js';

/** Workflow settings travel in the start input, so a running workflow keeps the settings it started with. */
export function userInterestSettings(config: Config): UserInterestSettings {
  return {
    halfLifeMs: config.INTEREST_HALF_LIFE_HOURS * HOUR_MS,
    topK: config.INTEREST_TOP_K,
    idleMs: config.INTEREST_IDLE_DAYS * DAY_MS,
    tickMs: config.INTEREST_TICK_HOURS * HOUR_MS,
    persistDebounceMs: config.INTEREST_PERSIST_DEBOUNCE_MS,
    eventsPerRun: config.INTEREST_EVENTS_PER_RUN,
    feedRefresh: {
      taskQueue: config.TEMPORAL_RANKING_TASK_QUEUE,
      minShift: config.FEED_REFRESH_SHIFT,
      minIntervalMs: config.FEED_REFRESH_MIN_INTERVAL_MS,
    },
  };
}

export function batchScoringSettings(config: Config): BatchScoringSettings {
  return {
    rankingTaskQueue: config.TEMPORAL_RANKING_TASK_QUEUE,
    activeDays: config.BATCH_SCORING_ACTIVE_DAYS,
    pageSize: config.BATCH_SCORING_PAGE_SIZE,
    chunkSize: 50,
    heartbeatTimeoutMs: 60_000,
  };
}

export function onboardingSettings(config: Config): OnboardingSettings {
  return {
    reminderQuietMs: config.ONBOARDING_REMINDER_QUIET_HOURS * HOUR_MS,
    maxRemindersPerStep: config.ONBOARDING_MAX_REMINDERS_PER_STEP,
  };
}

export function verificationSettings(config: Config): VerificationSettings {
  return {
    decisionDeadlineMs: config.VERIFICATION_DEADLINE_HOURS * HOUR_MS,
    escalationGraceMs: config.VERIFICATION_ESCALATION_HOURS * HOUR_MS,
  };
}

export function creatorStatsSettings(config: Config): CreatorStatsSettings {
  return {
    idleMs: config.CREATOR_IDLE_DAYS * DAY_MS,
    persistDebounceMs: config.CREATOR_PERSIST_DEBOUNCE_MS,
    partsPerRun: config.CREATOR_PARTS_PER_RUN,
  };
}

export function tvStationSettings(config: Config): TvStationSettings {
  return {
    keepFinished: config.STATION_KEEP_FINISHED,
    idleMs: config.STATION_IDLE_DAYS * DAY_MS,
    maxHistoryEvents: config.STATION_MAX_HISTORY_EVENTS,
    notifyBatchSize: config.NOTIFY_BATCH_SIZE,
    viewerTimeoutMs: config.VIEWER_TIMEOUT_MS,
  };
}

export function brainCommandSettings(config: Config): BrainCommandSettings {
  return { confirmationMs: config.BRAIN_CONFIRMATION_SECONDS * 1_000 };
}
