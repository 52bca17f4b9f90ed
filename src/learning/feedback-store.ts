import type { Collection, Db } from 'mongodb';
import type { ModelArm } from '../impressions/impression.js';
import type { EngagementType } from '../domain/engagement.js';
import type { FeedbackLabel } from './labels.js';

/** One labelled training row: an item shown to a user at a position, and what the user did with it. */
export interface FeedbackRowDoc {
  /** `<impression id>:<position>`: the join rewrites the same rows when it runs over an impression again. */
  _id: string;
  impressionId: string;
  requestId: string;
  userId: string;
  contentId: string;
  creatorId: string;
  position: number;
  shownAt: Date;
  modelVersion: string;
  arm: ModelArm;
  label: FeedbackLabel;
  gain: number;
  actions: EngagementType[];
  /** Inverse examination propensity of the position (labels.ts); the training weight. */
  ipw: number;
}

/** One served page's outcome: what the online metrics per model add up (online-metrics.ts). */
export interface FeedbackPageDoc {
  _id: string;
  modelVersion: string;
  arm: ModelArm;
  at: Date;
  /** `at` truncated to the hour: the metrics' time series buckets. */
  hour: Date;
  items: number;
  engagedItems: number;
  /** 1 when an item in the page's first ONLINE_K positions was engaged with. */
  engagedAtK: number;
  /** 1 when the page holds any of the feed's first ONLINE_K positions (the denominator of engagedAtK). */
  headPage: number;
  likes: number;
  shares: number;
  skips: number;
}

export interface JoinStateDoc {
  _id: 'feedback-join';
  /** The last impression joined, in (at, _id) order. */
  at: Date;
  impressionId: string;
}

export const feedbackRowsCollection = (db: Db): Collection<FeedbackRowDoc> => db.collection('feedback_rows');
export const feedbackPagesCollection = (db: Db): Collection<FeedbackPageDoc> => db.collection('feedback_pages');
export const learningStateCollection = (db: Db): Collection<JoinStateDoc> => db.collection('learning_state');

export async function ensureFeedbackIndexes(db: Db): Promise<void> {
  await feedbackRowsCollection(db).createIndex({ shownAt: 1 });
  await feedbackPagesCollection(db).createIndex({ at: 1 });
  await feedbackPagesCollection(db).createIndex({ modelVersion: 1, hour: 1 });
}
