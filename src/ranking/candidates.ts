/**
 * Where a feed's candidates come from: followed creators' recent content, topic matches from the interest
 * profile (the content.topics index), trending items and fresh content for exploration. Blocked creators and
 * items the user already engaged with are removed here, before any scoring; the rules drop them again, so a
 * precomputed list can never bring one back.
 */
import type { Redis } from 'ioredis';
import type { Db, Filter } from 'mongodb';
import { DAY_MS } from '../domain/decay.js';
import { tierBand } from '../domain/creator-tier.js';
import { topTopics, type InterestProfile } from '../domain/interest-profile.js';
import { contentCollection, type ContentDoc } from '../store/content.js';
import { contentPopularity, trendingContentIds } from '../store/content-popularity.js';
import { eventsCollection } from '../store/events.js';
import { leaderboardKey } from '../store/leaderboards.js';
import { relatedUsers } from '../store/relationships.js';
import type { Candidate } from './features.js';

export interface CandidateLimits {
  /** Per source; the union is at most four times this. */
  perSource: number;
  maxAgeMs: number;
  /** How many of the user's latest events define "already seen". */
  seenEvents: number;
  topics: number;
}

export const DEFAULT_CANDIDATE_LIMITS: CandidateLimits = {
  perSource: 150,
  maxAgeMs: 30 * DAY_MS,
  seenEvents: 500,
  topics: 5,
};
/** Follows and blocks beyond this are rare; the newest edges are kept out of an unbounded read. */
const MAX_EDGES = 1_000;

export interface CandidateSet {
  candidates: Candidate[];
  blockedCreators: Set<string>;
  seenContent: Set<string>;
}

export async function gatherCandidates(
  db: Db,
  redis: Redis,
  userId: string,
  profile: InterestProfile | null,
  nowMs: number,
  limits: CandidateLimits = DEFAULT_CANDIDATE_LIMITS,
  shared?: SharedSources,
): Promise<CandidateSet> {
  const [follows, blocks, seenContent, common] = await Promise.all([
    relatedUsers(db, 'follow', 'from', userId, undefined, MAX_EDGES),
    relatedUsers(db, 'block', 'from', userId, undefined, MAX_EDGES),
    seenContentIds(db, userId, limits.seenEvents),
    shared ?? loadSharedSources(db, redis, nowMs, limits),
  ]);
  const followed = new Set(follows.map((edge) => edge.to));
  const blockedCreators = new Set(blocks.map((edge) => edge.to));
  const topics = profile ? topTopics(profile, limits.topics).map((t) => t.topic) : [];
  const recent = recentContent(db, nowMs, limits);

  const sources = await Promise.all([
    followed.size > 0 ? recent({ creatorId: { $in: [...followed] } }) : [],
    topics.length > 0 ? recent({ topics: { $in: topics } }) : [],
    common.trending,
    common.fresh,
  ]);
  const items = new Map<string, ContentDoc>();
  for (const doc of sources.flat()) {
    if (!blockedCreators.has(doc.creatorId) && !seenContent.has(doc._id)) items.set(doc._id, doc);
  }
  const docs = [...items.values()];
  const creators = [...new Set(docs.map((d) => d.creatorId))];
  const [popularity, scores] = await Promise.all([
    contentPopularity(
      redis,
      docs.map((d) => d._id),
    ).catch(() => new Map()),
    creators.length > 0 ? redis.zmscore(leaderboardKey('score', null), ...creators).catch(() => []) : [],
  ]);
  const creatorScore = new Map(creators.map((id, i) => [id, Number(scores[i] ?? 0) || 0]));

  const candidates = docs.map((doc): Candidate => {
    const score = creatorScore.get(doc.creatorId) ?? 0;
    return {
      item: {
        contentId: doc._id,
        creatorId: doc.creatorId,
        type: doc.type,
        topics: doc.topics,
        createdAtMs: doc.createdAt.getTime(),
        popularity: popularity.get(doc._id) ?? { views: 0, likes: 0, shares: 0 },
      },
      creator: { score, tier: tierBand(score) },
      followsCreator: followed.has(doc.creatorId),
    };
  });
  return { candidates, blockedCreators, seenContent };
}

/** The sources that are the same for every user (trending, fresh): batch scoring loads them once per chunk. */
export interface SharedSources {
  trending: ContentDoc[];
  fresh: ContentDoc[];
}

export async function loadSharedSources(
  db: Db,
  redis: Redis,
  nowMs: number,
  limits: CandidateLimits = DEFAULT_CANDIDATE_LIMITS,
): Promise<SharedSources> {
  const recent = recentContent(db, nowMs, limits);
  // Redis holds only derived data: without it the feed loses trending and popularity, not its answer.
  const trendingIds = await trendingContentIds(redis, limits.perSource).catch(() => []);
  const [trending, fresh] = await Promise.all([
    trendingIds.length > 0 ? recent({ _id: { $in: trendingIds } }) : [],
    recent({}),
  ]);
  return { trending, fresh };
}

function recentContent(db: Db, nowMs: number, limits: CandidateLimits) {
  const since = new Date(nowMs - limits.maxAgeMs);
  return (filter: Filter<ContentDoc>) =>
    contentCollection(db)
      .find({ ...filter, createdAt: { $gte: since } })
      .sort({ createdAt: -1 })
      .limit(limits.perSource)
      .toArray();
}

async function seenContentIds(db: Db, userId: string, limit: number): Promise<Set<string>> {
  const events = await eventsCollection(db)
    .find({ userId })
    .sort({ occurredAt: -1 })
    .limit(limit)
    .project<{ contentId?: string }>({ _id: 0, contentId: 1 })
    .toArray();
  return new Set(events.flatMap((e) => (e.contentId ? [e.contentId] : [])));
}
