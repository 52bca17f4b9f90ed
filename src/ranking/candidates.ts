/**
 * Where a feed's candidates come from: followed creators' recent content, topic matches from the interest
 * profile (the content.topics index), trending items and fresh content for exploration. Blocked creators, items
 * the user already engaged with and content types the user opted out of are removed here, before any scoring
 * (candidate-sources.ts); the rules drop blocked and seen items again, so a precomputed list can never bring one
 * back. This is the online path, one user at a time; batch scoring cuts the same sources from per-run pools
 * (candidate-pools.ts).
 */
import type { Redis } from 'ioredis';
import type { Db, Filter } from 'mongodb';
import { DAY_MS } from '../domain/decay.js';
import { tierBand } from '../domain/creator-tier.js';
import { topTopics, type InterestProfile } from '../domain/interest-profile.js';
import { contentCollection, type ContentDoc } from '../store/content.js';
import {
  contentPopularity,
  creatorExposure,
  trendingContentIds,
  type CreatorExposure,
} from '../store/content-popularity.js';
import { eventsCollection } from '../store/events.js';
import { leaderboardKey } from '../store/leaderboards.js';
import { relatedUsers } from '../store/relationships.js';
import { assembleCandidates, isEligible, type SourceItem, type UserSignals } from './candidate-sources.js';
import type { Candidate, ItemPopularity, RankItem } from './features.js';

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
export const MAX_EDGES = 1_000;

export interface CandidateSet {
  candidates: Candidate[];
  blockedCreators: Set<string>;
  seenContent: Set<string>;
}

/** The same sources read from MongoDB: the fallback while the hot cache is missing, and its reference in tests. */
export async function candidatesFromStore(
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
  const topics = userTopics(profile, limits);
  const recent = recentContent(db, nowMs, limits);

  const sources = await Promise.all([
    followed.size > 0 ? recent({ creatorId: { $in: [...followed] } }) : [],
    topics.length > 0 ? recent({ topics: { $in: topics } }) : [],
    common.trending,
    common.fresh,
  ]);
  const signals = userSignals(profile, followed, blockedCreators, seenContent);
  // Lookups only for what can be kept; the assembly checks eligibility again, the same way batch scoring does.
  const unique = [...new Map(sources.flat().map((doc) => [doc._id, doc])).values()];
  const items = await sourceItems(
    redis,
    unique.filter((doc) => isEligible(asRankItem(doc), signals)),
  );
  const candidates = assembleCandidates(
    sources.map((docs) => docs.flatMap((d) => items.get(d._id) ?? [])),
    signals,
  );
  return { candidates, blockedCreators, seenContent };
}

/** The profile's top topics, the topic source's query. */
export function userTopics(profile: InterestProfile | null, limits: CandidateLimits): string[] {
  return profile ? topTopics(profile, limits.topics).map((t) => t.topic) : [];
}

export function userSignals(
  profile: InterestProfile | null,
  followed: ReadonlySet<string>,
  blockedCreators: ReadonlySet<string>,
  seenContent: ReadonlySet<string>,
): UserSignals {
  return { followed, blockedCreators, seenContent, contentTypeOptOuts: new Set(profile?.contentTypeOptOuts ?? []) };
}

export type ContentFields = Pick<ContentDoc, '_id' | 'creatorId' | 'type' | 'topics' | 'createdAt'>;

export function asRankItem(doc: ContentFields, popularity?: ItemPopularity): RankItem {
  return {
    contentId: doc._id,
    creatorId: doc.creatorId,
    type: doc.type,
    topics: doc.topics,
    createdAtMs: doc.createdAt.getTime(),
    popularity: popularity ?? { views: 0, likes: 0, shares: 0 },
  };
}

/** Items with their popularity and creator score from Redis, in batches of a few thousand ids per command. */
export async function sourceItems(redis: Redis, docs: readonly ContentFields[]): Promise<Map<string, SourceItem>> {
  const popularity = new Map<string, ItemPopularity>();
  const creatorScore = new Map<string, number>();
  const exposure = new Map<string, CreatorExposure>();
  const creators = [...new Set(docs.map((d) => d.creatorId))];
  // Redis holds only derived data: without it the feed loses popularity and creator scores, not its answer.
  // The three reads are independent, so they go out together: one round trip, not three.
  const reads: Array<Promise<void>> = [];
  for (let i = 0; i < docs.length; i += REDIS_BATCH) {
    const ids = docs.slice(i, i + REDIS_BATCH).map((d) => d._id);
    reads.push(
      contentPopularity(redis, ids)
        .catch(() => new Map<string, ItemPopularity>())
        .then((found) => found.forEach((pop, id) => popularity.set(id, pop))),
    );
  }
  for (let i = 0; i < creators.length; i += REDIS_BATCH) {
    const batch = creators.slice(i, i + REDIS_BATCH);
    reads.push(
      redis
        .zmscore(leaderboardKey('score', null), ...batch)
        .catch(() => [])
        .then((scores) => batch.forEach((id, j) => creatorScore.set(id, Number(scores[j] ?? 0) || 0))),
      creatorExposure(redis, batch)
        .catch(() => new Map<string, CreatorExposure>())
        .then((found) => found.forEach((e, id) => exposure.set(id, e))),
    );
  }
  await Promise.all(reads);
  return new Map(
    docs.map((doc) => {
      const score = creatorScore.get(doc.creatorId) ?? 0;
      const item = asRankItem(doc, popularity.get(doc._id));
      return [doc._id, { item, creator: { score, tier: tierBand(score), ...exposure.get(doc.creatorId) } }];
    }),
  );
}
const REDIS_BATCH = 5_000;

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

export async function seenContentIds(db: Db, userId: string, limit: number): Promise<Set<string>> {
  const events = await eventsCollection(db)
    .find({ userId })
    .sort({ occurredAt: -1 })
    .limit(limit)
    .project<{ contentId?: string }>({ _id: 0, contentId: 1 })
    .toArray();
  return new Set(events.flatMap((e) => (e.contentId ? [e.contentId] : [])));
}
