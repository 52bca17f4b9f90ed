import type { Redis } from 'ioredis';
import { ParsedValues } from './parsed-values.js';
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

/** A stored feed; shared and frozen (see parsed-values.ts). */
export async function readFeed(redis: Redis, userId: string): Promise<StoredFeed | null> {
  const raw = await redis.getBuffer(redisKeys.feed(userId));
  return raw ? parsedFeeds.get(userId, raw) : null;
}

/**
 * A client pages through a stored feed (some 12 KB of JSON for 200 items) one request after another: the pages after
 * the first compare the bytes instead of decoding and parsing them again. About 20 MB when full.
 */
const PARSED_FEEDS = 1_000;
const parsedFeeds = new ParsedValues(PARSED_FEEDS, (raw): StoredFeed => {
  const feed = JSON.parse(raw) as StoredFeed;
  for (const entry of feed.items) Object.freeze(entry);
  Object.freeze(feed.items);
  return Object.freeze(feed);
});

/**
 * SET unless the stored feed was computed later: a slow batch run (or a retried activity) finishing after an online
 * refresh must not put the older ranking back. Atomic in Redis; returns 1 when it wrote, 0 when it skipped.
 * KEYS[1] the feed key; ARGV: the feed's JSON, its computedAtMs, the TTL in seconds.
 */
const SET_IF_NOT_OLDER = `
local stored = redis.call('GET', KEYS[1])
if stored then
  local ok, feed = pcall(cjson.decode, stored)
  if ok and type(feed) == 'table' and tonumber(feed.computedAtMs) and tonumber(feed.computedAtMs) > tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1`;

/** Writes the feed unless a later-computed one is stored; says whether it wrote. */
export async function writeFeed(redis: Redis, userId: string, feed: StoredFeed, ttlSeconds: number): Promise<boolean> {
  const [written] = await writeFeeds(redis, [{ userId, feed }], ttlSeconds);
  return written ?? false;
}

/** Forgets a stored feed whose user's rules changed (a block, an opt-out): the next request ranks afresh. */
export async function dropFeed(redis: Redis, userId: string): Promise<void> {
  await redis.del(redisKeys.feed(userId));
}

/** Many users' feeds in one round trip (batch scoring), each guarded as writeFeed's; says for each whether it wrote. */
export async function writeFeeds(
  redis: Redis,
  feeds: ReadonlyArray<{ userId: string; feed: StoredFeed }>,
  ttlSeconds: number,
): Promise<boolean[]> {
  if (feeds.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const { userId, feed } of feeds) {
    pipeline.eval(SET_IF_NOT_OLDER, 1, redisKeys.feed(userId), JSON.stringify(feed), feed.computedAtMs, ttlSeconds);
  }
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  return results.map(([, written]) => written === 1);
}
