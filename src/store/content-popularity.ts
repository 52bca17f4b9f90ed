import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { HOUR_MS } from '../domain/decay.js';
import { ENGAGEMENT_WEIGHTS, type EngagementType } from '../domain/engagement.js';
import type { ItemPopularity } from '../ranking/features.js';
import { contentCollection } from './content.js';
import { eventsCollection } from './events.js';
import { redisKeys } from './redis-keys.js';

/**
 * Per-item engagement counts over a recent window and the trending set built from them. Derived data in Redis,
 * rebuilt from `events` by refreshContentPopularity (each batch-scoring run starts with it); an item missing from
 * the hash has had no recent engagement, which the features read as zero popularity.
 */
const COUNTED: Partial<Record<EngagementType, keyof ItemPopularity>> = {
  view: 'views',
  like: 'likes',
  share: 'shares',
  comment: 'comments',
  tip: 'tips',
};
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
    const pop = counts.get(event.contentId) ?? { views: 0, likes: 0, shares: 0, comments: 0, tips: 0 };
    const field = COUNTED[event.type];
    if (field) pop[field] = (pop[field] ?? 0) + 1;
    counts.set(event.contentId, pop);
    trending.set(event.contentId, (trending.get(event.contentId) ?? 0) + (ENGAGEMENT_WEIGHTS[event.type] ?? 0));
  }
  const top = [...trending].sort((a, b) => b[1] - a[1]).slice(0, TRENDING_SIZE);
  // Build beside the live keys and swap with RENAME, so readers never see half a refresh.
  const scratchPop = `${redisKeys.contentPopularity}:next`;
  const scratchTrending = `${redisKeys.trending}:next`;
  const tx = redis.multi().del(scratchPop, scratchTrending);
  if (counts.size > 0) {
    tx.hset(scratchPop, Object.fromEntries([...counts].map(([id, pop]) => [id, JSON.stringify(pop)])));
    tx.rename(scratchPop, redisKeys.contentPopularity);
  } else tx.del(redisKeys.contentPopularity);
  if (top.length > 0) {
    tx.zadd(scratchTrending, ...top.flatMap(([id, score]) => [score, id]));
    tx.rename(scratchTrending, redisKeys.trending);
  } else tx.del(redisKeys.trending);
  await tx.exec();
  return { items: counts.size };
}

export async function trendingContentIds(redis: Redis, limit: number): Promise<string[]> {
  return redis.zrevrange(redisKeys.trending, 0, limit - 1);
}

export async function contentPopularity(redis: Redis, ids: readonly string[]): Promise<Map<string, ItemPopularity>> {
  if (ids.length === 0) return new Map();
  const values = await redis.hmget(redisKeys.contentPopularity, ...ids);
  const out = new Map<string, ItemPopularity>();
  values.forEach((value, i) => {
    if (value) out.set(ids[i] as string, JSON.parse(value) as ItemPopularity);
  });
  return out;
}
