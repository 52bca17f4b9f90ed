import type { ActivityDeps } from './deps.js';
import { drainImpressions, type DrainResult } from '../src/impressions/drain.js';
import { ensureImpressionIndexes, expireImpressions } from '../src/impressions/store.js';
import { ensureFeedbackIndexes } from '../src/learning/feedback-store.js';
import { runFeedbackJoin, type JoinRunResult } from '../src/learning/feedback-join.js';

/** Batches per activity call: bounds an attempt (and what a retry redoes); the next scheduled run goes on. */
const DRAIN_BATCH = 1_000;
const DRAIN_MAX_BATCHES = 50;
const JOIN_BATCH = 500;
const JOIN_MAX_BATCHES = 40;

/** The learning loop's activities: impressions from Redis into MongoDB, then the feedback join. Both idempotent. */
export function createLearningActivities(deps: ActivityDeps) {
  let indexes: Promise<void> | undefined;
  const ensureIndexes = () => {
    indexes ??= Promise.all([
      ensureImpressionIndexes(deps.db, deps.config.IMPRESSION_TTL_DAYS),
      ensureFeedbackIndexes(deps.db),
    ]).then(
      () => undefined,
      (error: unknown) => {
        indexes = undefined;
        throw error;
      },
    );
    return indexes;
  };
  return {
    async drainImpressions(): Promise<DrainResult> {
      await ensureIndexes();
      await expireImpressions(deps.db, deps.config.IMPRESSION_TTL_DAYS, Date.now());
      return drainImpressions(deps.db, deps.redis, { batchSize: DRAIN_BATCH, maxBatches: DRAIN_MAX_BATCHES });
    },

    async joinFeedback(nowMs: number): Promise<JoinRunResult> {
      await ensureIndexes();
      return runFeedbackJoin(deps.db, {
        nowMs,
        windowMs: deps.config.FEEDBACK_WINDOW_MINUTES * 60_000,
        batchSize: JOIN_BATCH,
        maxBatches: JOIN_MAX_BATCHES,
      });
    },
  };
}

export type LearningActivities = ReturnType<typeof createLearningActivities>;
/** Their results, named for the learning-loop workflow, which may import only activity types. */
export type { DrainResult, JoinRunResult };
