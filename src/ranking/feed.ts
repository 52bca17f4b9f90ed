/**
 * A user's feed from scratch: profile, candidates, ranking, then the stored form. The feed route (when no fresh
 * precomputed feed exists), the refresh activity and batch scoring all call computeFeed, so the three paths rank
 * the same way.
 */
import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { readProfile } from '../cache/profiles.js';
import type { StoredFeed } from '../store/feeds.js';
import { DEFAULT_CANDIDATE_LIMITS, type CandidateLimits } from './candidates.js';
import { gatherCandidates } from './online-candidates.js';
import type { Ranker } from './fallback-ranker.js';
import { rankCandidates, type RankedFeed } from './rank.js';

/** What a stored feed keeps: far more than a client pages through before the next refresh. */
export const FEED_MAX_ITEMS = 200;

export interface FeedDeps {
  db: Db;
  redis: Redis;
  warn?: (error: unknown, message: string) => void;
}

export interface ComputedFeed {
  feed: StoredFeed;
  candidates: number;
  fallbackReason?: string;
}

export async function computeFeed(
  deps: FeedDeps,
  userId: string,
  choice: { ranker: Ranker; reason?: string },
  nowMs: number,
  options: { limits?: CandidateLimits; scratch?: Float32Array } = {},
): Promise<ComputedFeed> {
  const profile = await readProfile(deps, userId);
  const set = await gatherCandidates(deps, userId, profile, nowMs, options.limits ?? DEFAULT_CANDIDATE_LIMITS);
  const ranked = await rankCandidates(
    {
      profile,
      candidates: set.candidates,
      rules: { blockedCreators: set.blockedCreators, seenContent: set.seenContent },
      nowMs,
      ...(options.scratch ? { scratch: options.scratch } : {}),
    },
    choice,
  );
  const feed = toStoredFeed(ranked, nowMs);
  return {
    feed,
    candidates: set.candidates.length,
    ...(ranked.fallbackReason ? { fallbackReason: ranked.fallbackReason } : {}),
  };
}

/**
 * The stored form: the top FEED_MAX_ITEMS, scores rounded to 4 decimals (ties stay ordered by the list itself),
 * which keeps a 200-item feed around 12 KB instead of 16 — batch scoring writes one per active user.
 */
export function toStoredFeed(ranked: RankedFeed, nowMs: number): StoredFeed {
  return {
    items: ranked.items.slice(0, FEED_MAX_ITEMS).map(({ contentId, creatorId, score }) => ({
      contentId,
      creatorId,
      score: Math.round(score * 1e4) / 1e4,
    })),
    ranker: ranked.ranker,
    modelVersion: ranked.rankerVersion,
    computedAtMs: nowMs,
  };
}
