import { log } from '@temporalio/activity';
import { createBatchScorer, type BatchScorer } from '../src/ranking/batch.js';
import { computeFeed } from '../src/ranking/feed.js';
import { rankerFallbacks } from '../src/ranking/metrics.js';
import { resolveRanker } from '../src/ranking/rank.js';
import { refreshContentPopularity } from '../src/store/content-popularity.js';
import { writeFeed } from '../src/store/feeds.js';
import { redisKeys } from '../src/store/redis-keys.js';
import { saveScoringRun, type ScoringRunDoc } from '../src/store/scoring-runs.js';
import { createBatchScoringActivities } from './batch-scoring.js';
import type { ActivityDeps } from './deps.js';

export interface RankingActivityDeps extends ActivityDeps {
  modelPath?: string;
  feedTtlSeconds: number;
  /** The refresh guard: at most one refresh per user per interval, however many workflows (or runs) ask. */
  refreshMinIntervalMs: number;
  /** Tests pass an in-memory scorer; the worker builds the real one from db and redis. */
  scorer?: BatchScorer;
}

/**
 * The model-heavy activities, run by the worker on the `ranking` task queue (one ONNX session per process, shared
 * by every activity through loadOnnxRanker). Workflows reach them with proxyActivities({ taskQueue }).
 */
export function createRankingActivities(deps: RankingActivityDeps) {
  const onFallback = (userId: string, reason: string, path: 'refresh' | 'batch') => {
    rankerFallbacks.inc({ path });
    log.warn('feed ranked by the fallback ranker', { userId, reason });
  };
  const scorer =
    deps.scorer ??
    createBatchScorer({
      db: deps.db,
      redis: deps.redis,
      feedTtlSeconds: deps.feedTtlSeconds,
      onFallback: (userId, reason) => onFallback(userId, reason, 'batch'),
      ...(deps.modelPath ? { modelPath: deps.modelPath } : {}),
    });
  return {
    ...createBatchScoringActivities(scorer),

    /** Recomputes and stores one user's feed. Idempotent (a whole-feed replace) and guarded per interval. */
    async requestFeedRefresh(userId: string): Promise<'refreshed' | 'skipped'> {
      const guard = redisKeys.feedRefreshGuard(userId);
      if (deps.refreshMinIntervalMs > 0 && (await deps.redis.exists(guard)) === 1) return 'skipped';
      const choice = await resolveRanker(deps.modelPath);
      const { feed, fallbackReason } = await computeFeed(deps, userId, choice, Date.now());
      if (fallbackReason) onFallback(userId, fallbackReason, 'refresh');
      await writeFeed(deps.redis, userId, feed, deps.feedTtlSeconds);
      // Set after the write, so a failed attempt leaves no guard and its retry still refreshes.
      if (deps.refreshMinIntervalMs > 0)
        await deps.redis.set(guard, String(Date.now()), 'PX', deps.refreshMinIntervalMs);
      return 'refreshed';
    },

    async refreshContentPopularity(nowMs: number): Promise<number> {
      return (await refreshContentPopularity(deps.db, deps.redis, nowMs)).items;
    },

    async saveScoringRun(
      run: Omit<ScoringRunDoc, 'startedAt' | 'finishedAt'> & { startedAtMs: number; finishedAtMs?: number },
    ): Promise<void> {
      const { startedAtMs, finishedAtMs, ...rest } = run;
      await saveScoringRun(deps.db, {
        ...rest,
        startedAt: new Date(startedAtMs),
        ...(finishedAtMs !== undefined ? { finishedAt: new Date(finishedAtMs) } : {}),
      });
    },
  };
}

export type RankingActivities = ReturnType<typeof createRankingActivities>;
