import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { HOUR_MS } from '../domain/decay.js';
import { ENGAGEMENT_WEIGHTS, type EngagementType } from '../domain/engagement.js';
import type { ItemPopularity } from '../ranking/features.js';
import { contentCollection } from './content.js';
import { eventsCollection } from './events.js';
import { redisKeys } from './redis-keys.js';

/**
 * Per-item engagement counts over a recent window, the trending set built from them and views and skips per
 * creator (content-pop, trending, creator-pop). Derived data in Redis,
 * rebuilt from `events` by refreshContentPopularity (each batch-scoring run starts with it); an item missing from
 * the hash has had no recent engagement, which the features read as zero popularity.
 */
const COUNTED: Partial<Record<EngagementType, keyof ItemPopularity>> = {
  view: 'views',
  like: 'likes',
  share: 'shares',
  comment: 'comments',
  tip: 'tips',
  skip: 'skips',
};
/** Views and skips over a creator's items: the creator_watch_rate feature. */
export interface CreatorExposure {
  views: number;
  skips: number;
}
/** Content ids per $in lookup of their creators. */
const CREATOR_LOOKUP_BATCH = 5_000;
/** Enough for a busy window on one node; older events beyond the cap matter less to "trending" anyway. */
const MAX_EVENTS_SCANNED = 500_000;
export const TRENDING_SIZE = 1_000;

export async function ensureContentPopularityIndexes(db: Db): Promise<void> {
  // The window scan; the { userId, occurredAt } index cannot serve a query without a user.
  await eventsCollection(db).createIndex({ occurredAt: -1 });
  // Fresh-content exploration reads the newest items of the whole catalog.
  await contentCollection(db).createIndex({ createdAt: -1 });
}

export async function refreshContentPopularity(
  db: Db,
  redis: Redis,
  nowMs: number,
  windowMs = 48 * HOUR_MS,
): Promise<{ items: number }> {
  const counts = new Map<string, ItemPopularity>();
  const trending = new Map<string, number>();
  const cursor = eventsCollection(db)
    .find({ occurredAt: { $gte: new Date(nowMs - windowMs) }, contentId: { $exists: true } })
    .project<{ contentId?: string; type: EngagementType }>({ _id: 0, contentId: 1, type: 1 })
    .limit(MAX_EVENTS_SCANNED);
  for await (const event of cursor) {
    if (!event.contentId) continue;
    const pop = counts.get(event.contentId) ?? { views: 0, likes: 0, shares: 0, comments: 0, tips: 0, skips: 0 };
    const field = COUNTED[event.type];
    if (field) pop[field] = (pop[field] ?? 0) + 1;
    counts.set(event.contentId, pop);
    trending.set(event.contentId, (trending.get(event.contentId) ?? 0) + (ENGAGEMENT_WEIGHTS[event.type] ?? 0));
  }
  const top = [...trending].sort((a, b) => b[1] - a[1]).slice(0, TRENDING_SIZE);
  const creators = await creatorExposures(db, counts);
  // Build beside the live keys and swap with RENAME, so readers never see half a refresh.
  const scratchPop = `${redisKeys.contentPopularity}:next`;
  const scratchTrending = `${redisKeys.trending}:next`;
  const scratchCreators = `${redisKeys.creatorExposure}:next`;
  const tx = redis.multi().del(scratchPop, scratchTrending, scratchCreators);
  if (counts.size > 0) {
    tx.hset(scratchPop, Object.fromEntries([...counts].map(([id, pop]) => [id, JSON.stringify(pop)])));
    tx.rename(scratchPop, redisKeys.contentPopularity);
  } else tx.del(redisKeys.contentPopularity);
  if (top.length > 0) {
    tx.zadd(scratchTrending, ...top.flatMap(([id, score]) => [score, id]));
    tx.rename(scratchTrending, redisKeys.trending);
  } else tx.del(redisKeys.trending);
  if (creators.size > 0) {
    tx.hset(scratchCreators, Object.fromEntries([...creators].map(([id, e]) => [id, JSON.stringify(e)])));
    tx.rename(scratchCreators, redisKeys.creatorExposure);
  } else tx.del(redisKeys.creatorExposure);
  await tx.exec();
  return { items: counts.size };
}

/** Item views and skips summed per creator; events need not name the creator, the catalog does. */
async function creatorExposures(db: Db, counts: ReadonlyMap<string, ItemPopularity>) {
  const ids = [...counts].filter(([, pop]) => (pop.views ?? 0) + (pop.skips ?? 0) > 0).map(([id]) => id);
  const out = new Map<string, CreatorExposure>();
  for (let i = 0; i < ids.length; i += CREATOR_LOOKUP_BATCH) {
    const docs = contentCollection(db)
      .find({ _id: { $in: ids.slice(i, i + CREATOR_LOOKUP_BATCH) } })
      .project<{ _id: string; creatorId: string }>({ creatorId: 1 });
    for await (const doc of docs) {
      const pop = counts.get(doc._id);
      const e = out.get(doc.creatorId) ?? { views: 0, skips: 0 };
      e.views += pop?.views ?? 0;
      e.skips += pop?.skips ?? 0;
      out.set(doc.creatorId, e);
    }
  }
  return out;
}

export async function trendingContentIds(redis: Redis, limit: number): Promise<string[]> {
  return redis.zrevrange(redisKeys.trending, 0, limit - 1);
}

export async function creatorExposure(redis: Redis, ids: readonly string[]): Promise<Map<string, CreatorExposure>> {
  return jsonHashFields<CreatorExposure>(redis, redisKeys.creatorExposure, ids);
}

export async function contentPopularity(redis: Redis, ids: readonly string[]): Promise<Map<string, ItemPopularity>> {
  return jsonHashFields<ItemPopularity>(redis, redisKeys.contentPopularity, ids);
}

/** The JSON values of these fields of one hash, by field; fields the hash lacks are left out. */
async function jsonHashFields<T>(redis: Redis, key: string, ids: readonly string[]): Promise<Map<string, T>> {
  if (ids.length === 0) return new Map();
  const values = await redis.hmget(key, ...ids);
  const out = new Map<string, T>();
  values.forEach((value, i) => {
    if (value) out.set(ids[i] as string, JSON.parse(value) as T);
  });
  return out;
}
