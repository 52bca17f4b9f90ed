/**
 * The batch side of ranking: which users a run scores, and scoring a chunk of them into precomputed feeds with
 * the same pipeline the feed route uses. One feature matrix is reused across a chunk's users.
 */
import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { writeFeeds, type StoredFeed } from '../store/feeds.js';
import { interestProfilesCollection } from '../store/interest-profiles.js';
import { loadSharedSources } from './candidates.js';
import { computeFeed } from './feed.js';
import { FEATURE_COUNT } from './features.js';
import { resolveRanker } from './rank.js';

export interface ChunkResult {
  users: number;
  items: number;
  failures: number;
  fallbackUsers: number;
  modelVersion: string;
}

/** What the batch-scoring activity needs; the time-skipping tests swap in an in-memory one. */
export interface BatchScorer {
  /** Users with an event since `activeSinceMs`, in id order after `afterUserId`. */
  activeUsers(afterUserId: string | null, activeSinceMs: number, limit: number): Promise<string[]>;
  /** Ranks and stores each user's feed; a user that fails is counted, not retried here. */
  scoreUsers(userIds: readonly string[], nowMs: number): Promise<ChunkResult>;
}

export interface BatchScorerDeps {
  db: Db;
  redis: Redis;
  modelPath?: string;
  feedTtlSeconds: number;
  onFallback?: (userId: string, reason: string) => void;
}

/** Users ranked at once in a chunk: candidate gathering is Mongo round trips, so lanes overlap their waits. */
const LANES = 4;

export function createBatchScorer(deps: BatchScorerDeps): BatchScorer {
  // One feature matrix per lane, grown when a user has more candidates than it holds.
  const scratch = Array.from({ length: LANES }, () => new Float32Array(600 * FEATURE_COUNT));
  return {
    async activeUsers(afterUserId, activeSinceMs, limit) {
      const docs = await interestProfilesCollection(deps.db)
        .find({
          lastEventAtMs: { $gte: activeSinceMs },
          ...(afterUserId !== null ? { _id: { $gt: afterUserId } } : {}),
        })
        .sort({ _id: 1 })
        .limit(limit)
        .project<{ _id: string }>({ _id: 1 })
        .toArray();
      return docs.map((d) => d._id);
    },

    async scoreUsers(userIds, nowMs) {
      const choice = await resolveRanker(deps.modelPath);
      // Trending and fresh content are the same for every user of the chunk: one read instead of one per user.
      const shared = await loadSharedSources(deps.db, deps.redis, nowMs);
      const result: ChunkResult = {
        users: 0,
        items: 0,
        failures: 0,
        fallbackUsers: 0,
        modelVersion: choice.ranker.version,
      };
      const feeds: Array<{ userId: string; feed: StoredFeed }> = [];
      let next = 0;
      const lane = async (l: number): Promise<void> => {
        for (let i = next++; i < userIds.length; i = next++) {
          const userId = userIds[i] as string;
          try {
            const computed = await computeFeed(deps, userId, choice, nowMs, {
              scratch: scratch[l] as Float32Array,
              shared,
            });
            if (computed.candidates * FEATURE_COUNT > (scratch[l]?.length ?? 0)) {
              scratch[l] = new Float32Array(computed.candidates * FEATURE_COUNT);
            }
            feeds.push({ userId, feed: computed.feed });
            result.users++;
            result.items += computed.candidates;
            result.modelVersion = computed.feed.modelVersion;
            if (computed.fallbackReason) {
              result.fallbackUsers++;
              deps.onFallback?.(userId, computed.fallbackReason);
            }
          } catch {
            result.failures++;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(LANES, userIds.length) }, (_, l) => lane(l)));
      await writeFeeds(deps.redis, feeds, deps.feedTtlSeconds);
      return result;
    },
  };
}
