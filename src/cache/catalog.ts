import type { Redis } from 'ioredis';
import type { ContentType } from '../domain/engagement.js';
import type { ContentDoc } from '../store/content.js';
import { redisKeys } from '../store/redis-keys.js';
import { ParsedValues } from '../store/parsed-values.js';

const keys = redisKeys.hot;

/** Newest items kept per pool: twice a source's per-request limit, so a few filtered items never empty one. */
export const POOL_SIZE = 300;

/** What a feed needs of an item, without a document-store read. */
export interface CachedItem {
  contentId: string;
  creatorId: string;
  type: ContentType;
  topics: string[];
  title: string;
  createdAtMs: number;
}

export function cachedItemOf(doc: Pick<ContentDoc, '_id' | 'creatorId' | 'type' | 'topics' | 'title' | 'createdAt'>) {
  return {
    contentId: doc._id,
    creatorId: doc.creatorId,
    type: doc.type,
    topics: doc.topics,
    title: doc.title,
    createdAtMs: doc.createdAt.getTime(),
  } satisfies CachedItem;
}

/**
 * Adds items to the item hash and to their topic, creator and fresh pools (trimmed to POOL_SIZE). Idempotent: the
 * same item twice leaves the same state, so the catalog write and a rebuild may both call it.
 */
export async function cacheCatalogItems(redis: Redis, items: readonly CachedItem[]): Promise<void> {
  if (items.length === 0) return;
  const tx = redis.pipeline();
  tx.hset(keys.items, Object.fromEntries(items.map((item) => [item.contentId, JSON.stringify(item)])));
  const pools = new Set<string>();
  const add = (key: string, item: CachedItem) => {
    tx.zadd(key, item.createdAtMs, item.contentId);
    pools.add(key);
  };
  for (const item of items) {
    add(keys.freshPool, item);
    add(keys.creatorPool(item.creatorId), item);
    for (const topic of new Set(item.topics)) {
      add(keys.topicPool(topic), item);
      tx.zincrby(keys.topicCreators(topic), 1, item.creatorId);
    }
  }
  for (const key of pools) tx.zremrangebyrank(key, 0, -(POOL_SIZE + 1));
  await execOrThrow(tx);
}

/** The items of these ids that the cache holds; shared, frozen objects (see src/store/parsed-values.ts). */
export async function cachedItems(redis: Redis, ids: readonly string[]): Promise<Map<string, CachedItem>> {
  const out = new Map<string, CachedItem>();
  for (let i = 0; i < ids.length; i += ITEMS_PER_CALL) {
    const batch = ids.slice(i, i + ITEMS_PER_CALL);
    const values = await redis.hmgetBuffer(keys.items, ...batch);
    values.forEach((value, j) => {
      if (!value) return;
      const item = parsedItems.get(batch[j] as string, value);
      out.set(item.contentId, item);
    });
  }
  return out;
}
const ITEMS_PER_CALL = 5_000;
/** Room for every item of a 50k catalog (about 30 MB); an online feed reads some 550 per request. */
const PARSED_ITEMS = 50_000;
const parsedItems = new ParsedValues(PARSED_ITEMS, (raw): CachedItem => {
  const item = JSON.parse(raw) as CachedItem;
  Object.freeze(item.topics);
  return Object.freeze(item);
});

export interface PoolQuery {
  creators: readonly string[];
  topics: readonly string[];
  sinceMs: number;
  perSource: number;
}

/**
 * The newest `perSource` ids across the followed creators' pools, across the topic pools, and of the whole
 * catalog, each created at or after `sinceMs`: the online feed's three recency sources, in one round trip.
 */
export async function poolIds(
  redis: Redis,
  query: PoolQuery,
): Promise<{ followed: string[]; topical: string[]; fresh: string[] }> {
  const range = (key: string) =>
    redis.zrevrangebyscore(key, '+inf', query.sinceMs, 'WITHSCORES', 'LIMIT', 0, query.perSource);
  const [creatorLists, topicLists, freshList] = await Promise.all([
    Promise.all(query.creators.map((creator) => range(keys.creatorPool(creator)))),
    Promise.all(query.topics.map((topic) => range(keys.topicPool(topic)))),
    range(keys.freshPool),
  ]);
  return {
    followed: newestIds(creatorLists, query.perSource),
    topical: newestIds(topicLists, query.perSource),
    fresh: newestIds([freshList], query.perSource),
  };
}

/** Newest first across WITHSCORES replies, ties by id (the order the catalog's sorted queries give), no repeats. */
function newestIds(lists: readonly string[][], limit: number): string[] {
  const byId = new Map<string, number>();
  for (const flat of lists)
    for (let i = 0; i + 1 < flat.length; i += 2) byId.set(flat[i] as string, Number(flat[i + 1]));
  return [...byId]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([id]) => id);
}

/** Creators with the most items on a topic, most first, then by id. */
export async function topCreatorsOfTopic(redis: Redis, topic: string, limit: number): Promise<string[]> {
  const flat = await redis.zrevrange(keys.topicCreators(topic), 0, -1, 'WITHSCORES');
  const rows: Array<[string, number]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) rows.push([flat[i] as string, Number(flat[i + 1])]);
  return rows
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([id]) => id);
}

/** A pipeline's replies, or its first error: a cache write that half failed is reported, not ignored. */
export async function execOrThrow(tx: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = (await tx.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  return results.map(([, value]) => value);
}

/**
 * `reads` sent behind the check that the hot structures are complete (the rebuild's `built` marker, see
 * hotCachesReady): their replies, or null while the structures are incomplete or Redis is unreachable. A read that
 * fails after the check passed throws. The commands go out back to back on one connection, so Redis runs them in
 * order, after the check, in one round trip as a pipeline would. Request paths send commands, not ioredis
 * pipelines: every pipeline object outlives the young generation, and copying them set the feed's p99
 * (docs/performance.md, "What set the tail").
 */
export async function readWhenBuilt<T extends readonly unknown[]>(
  redis: Redis,
  reads: () => { readonly [K in keyof T]: Promise<T[K]> },
): Promise<T | null> {
  const [built, ...replies] = await Promise.allSettled([redis.exists(keys.built), ...reads()]);
  if (built?.status !== 'fulfilled' || built.value !== 1) return null;
  const values = replies.map((reply) => {
    if (reply.status === 'rejected') throw reply.reason;
    return reply.value;
  });
  return values as unknown as T;
}
