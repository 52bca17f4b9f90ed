import type { Redis } from 'ioredis';
import { redisKeys } from './redis-keys.js';

/**
 * Precomputed feeds in Redis: the ranked list a user's next pages are cut from. Derived data with a TTL; the
 * ranking pipeline (src/ranking/feed.ts) is what rebuilds one, online or in batch.
 */
export interface FeedEntry {
  contentId: string;
  creatorId: string;
  score: number;
}

export interface StoredFeed {
  items: FeedEntry[];
  ranker: 'onnx' | 'fallback';
  modelVersion: string;
  computedAtMs: number;
}

export async function readFeed(redis: Redis, userId: string): Promise<StoredFeed | null> {
  const raw = await redis.get(redisKeys.feed(userId));
  return raw ? (JSON.parse(raw) as StoredFeed) : null;
}

export async function writeFeed(redis: Redis, userId: string, feed: StoredFeed, ttlSeconds: number): Promise<void> {
  await redis.set(redisKeys.feed(userId), JSON.stringify(feed), 'EX', ttlSeconds);
}

/** Forgets a stored feed whose user's rules changed (a block, an opt-out): the next request ranks afresh. */
export async function dropFeed(redis: Redis, userId: string): Promise<void> {
  await redis.del(redisKeys.feed(userId));
}

/** Many users' feeds in one round trip (batch scoring). */
export async function writeFeeds(
  redis: Redis,
  feeds: ReadonlyArray<{ userId: string; feed: StoredFeed }>,
  ttlSeconds: number,
): Promise<void> {
  if (feeds.length === 0) return;
  const pipeline = redis.pipeline();
  for (const { userId, feed } of feeds) pipeline.set(redisKeys.feed(userId), JSON.stringify(feed), 'EX', ttlSeconds);
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}
