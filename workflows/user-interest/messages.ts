import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ContentType } from '../../src/domain/engagement.js';
import type { EngagementEvent, InterestProfile } from '../../src/domain/interest-profile.js';
import type { DeliveryPart } from '../../src/domain/recent-ids.js';

/** Signal and query objects shared by the workflow, the relay and the tests (no workflow logic here). */
export interface EngagementBatch {
  events: EngagementEvent[];
  /** Which slices of `events` are whole outbox-batch parts (absent from older relays and tests). */
  parts?: DeliveryPart[];
}

export interface UserInterestSettings {
  halfLifeMs: number;
  topK: number;
  /** Quiet time after the last event before the workflow persists and completes; the next event recreates it. */
  idleMs: number;
  /** How often an idle-but-alive profile is decayed and re-persisted, so the read model fades too. */
  tickMs: number;
  /** Events are applied at once but persisted at most this often (the read model is debounced). */
  persistDebounceMs: number;
  /** Continue-as-new after this many applied events, well below Temporal's history limits. */
  eventsPerRun: number;
  /** Absent in workflows started before feed refresh existed, which then never ask for one. */
  feedRefresh?: FeedRefreshSettings;
}

export interface FeedRefreshSettings {
  /** The ranking task queue, where requestFeedRefresh runs. */
  taskQueue: string;
  /** topicShift of the top topics since the last refresh (0..1) that asks for another. */
  minShift: number;
  minIntervalMs: number;
}

/** The top topics (score by topic) and workflow time of the last feed refresh a run asked for. */
export interface FeedRefreshBaseline {
  topics: Record<string, number>;
  /** null: never asked. */
  atMs: number | null;
}

export interface UserInterestInput {
  userId: string;
  settings: UserInterestSettings;
  /** Carried across continue-as-new; absent on a fresh start, which restores from the read model instead. */
  carried?: {
    profile: InterestProfile;
    recentEventIds: string[];
    /** Part ids already applied (absent in runs continued before parts were sent). */
    recentPartIds?: string[];
    /** Absent in runs continued before the baseline was carried. */
    feedRefresh?: FeedRefreshBaseline;
    /** The onboarding workflow was already told about a first engagement (absent: not yet). */
    engagementSignalled?: boolean;
    /** Signals received during the run's last persist, applied by the next run (absent: none, or an older run). */
    pendingBatches?: EngagementBatch[];
    /** Opt-outs signalled during the run's last persist and not applied yet. */
    pendingOptOuts?: ContentType[];
  };
}

/** The user's shared-preference opt-outs, sent whenever they change (the latest one wins). */
export interface ContentTypeOptOutsUpdate {
  contentTypeOptOuts: ContentType[];
}

export interface ProfileView {
  profile: InterestProfile;
  runEvents: number;
  duplicatesDropped: number;
}

export const engagementsSignal = defineSignal<[EngagementBatch]>('engagements');
export const contentTypeOptOutsSignal = defineSignal<[ContentTypeOptOutsUpdate]>('contentTypeOptOuts');
export const getProfileQuery = defineQuery<ProfileView>('getProfile');
