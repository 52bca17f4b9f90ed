/**
 * The online feed's candidates from the hot structures in Redis (src/cache): the same four sources as the
 * MongoDB path in candidates.ts — newest items of followed creators, newest items on the profile's top topics,
 * trending, fresh — and the same eligibility rules, in a handful of round trips whatever the data volume.
 */
import type { Redis } from 'ioredis';
import { cachedItems, poolIds, type CachedItem } from '../cache/catalog.js';
import { cachedUserSignals, type CachedUserSignals } from '../cache/user-signals.js';
import type { InterestProfile } from '../domain/interest-profile.js';
import { trendingContentIds } from '../store/content-popularity.js';
import { assembleCandidates, isEligible } from './candidate-sources.js';
import {
  asRankItem,
  MAX_EDGES,
  sourceItems,
  userTopics,
  type CandidateLimits,
  type CandidateSet,
  type ContentFields,
} from './candidates.js';

export async function candidatesFromCache(
  redis: Redis,
  userId: string,
  profile: InterestProfile | null,
  nowMs: number,
  limits: CandidateLimits,
  /** The user's signals when the caller has read them already (with the completeness check). */
  known?: CachedUserSignals,
): Promise<CandidateSet> {
  const cached = known ?? (await cachedUserSignals(redis, userId));
  const signals = {
    ...cached,
    // The profile carries opt-outs too (applied by its workflow); either source suffices to leave a type out.
    contentTypeOptOuts: new Set([...cached.contentTypeOptOuts, ...(profile?.contentTypeOptOuts ?? [])]),
  };
  const sinceMs = nowMs - limits.maxAgeMs;
  const [pools, trendingIds] = await Promise.all([
    poolIds(redis, {
      creators: [...signals.followed].slice(0, MAX_EDGES),
      topics: userTopics(profile, limits),
      sinceMs,
      perSource: limits.perSource,
    }),
    trendingContentIds(redis, limits.perSource).catch(() => []),
  ]);
  const items = await cachedItems(redis, [
    ...new Set([...pools.followed, ...pools.topical, ...trendingIds, ...pools.fresh]),
  ]);
  const listed = (ids: readonly string[]) => ids.flatMap((id) => items.get(id) ?? []);
  // Trending as the store path reads it: recent items only, newest first.
  const trending = listed(trendingIds)
    .filter((item) => item.createdAtMs >= sinceMs)
    .sort((a, b) => b.createdAtMs - a.createdAtMs || compareIds(a.contentId, b.contentId));
  const sources = [listed(pools.followed), listed(pools.topical), trending, listed(pools.fresh)];
  const eligible = [...new Map(sources.flat().map((item) => [item.contentId, asFields(item)])).values()].filter((doc) =>
    isEligible(asRankItem(doc), signals),
  );
  const scored = await sourceItems(redis, eligible);
  const candidates = assembleCandidates(
    sources.map((list) => list.flatMap((item) => scored.get(item.contentId) ?? [])),
    signals,
  );
  return { candidates, blockedCreators: signals.blockedCreators, seenContent: signals.seenContent };
}

function asFields(item: CachedItem): ContentFields {
  return {
    _id: item.contentId,
    creatorId: item.creatorId,
    type: item.type,
    topics: item.topics,
    createdAt: new Date(item.createdAtMs),
  };
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
