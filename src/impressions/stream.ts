/**
 * Impressions leave the request path through a Redis stream: the feed route appends one entry per served page
 * (XADD, not awaited) and a scheduled activity drains the stream into MongoDB in batches (drain.ts). A capped
 * stream (MAXLEN ~) means a stalled drain costs the oldest impressions, never Redis memory or feed latency.
 */
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { createGroupBatcher, type GroupBatcher } from '../store/group-batcher.js';
import type { Impression } from './impression.js';

export const IMPRESSION_STREAM_KEY = 'impressions';

export const impressionsLogged = new Counter({
  name: 'feed_impressions_logged_total',
  help: 'Feed pages appended to the impression stream, by outcome (logged, failed) and sampling (skipped)',
  labelNames: ['outcome'] as const,
});

/** Impressions per pipeline: while one pipeline is in flight the next pages queue up and go out together. */
const MAX_PIPELINE = 200;
const batchers = new WeakMap<Redis, GroupBatcher<string, void>>();

/**
 * Appends one impression; resolves whatever happens (a lost impression must never fail or slow a feed).
 * Concurrent pages share one pipelined round trip (group commit), so logging adds no Redis round trip per request.
 */
export function appendImpression(redis: Redis, impression: Impression, maxLen: number): Promise<void> {
  let batcher = batchers.get(redis);
  if (!batcher) {
    batcher = createGroupBatcher(async (entries: string[]) => {
      const pipeline = redis.pipeline();
      for (const entry of entries) pipeline.xadd(IMPRESSION_STREAM_KEY, 'MAXLEN', '~', maxLen, '*', 'i', entry);
      const results = (await pipeline.exec()) ?? [];
      for (const [error] of results) impressionsLogged.inc({ outcome: error ? 'failed' : 'logged' });
      return entries.map(() => undefined);
    }, MAX_PIPELINE);
    batchers.set(redis, batcher);
  }
  return batcher.submit(JSON.stringify(impression)).catch(() => {
    impressionsLogged.inc({ outcome: 'failed' });
  });
}

export interface StreamEntry {
  id: string;
  impression: Impression;
}

/** The oldest entries, at most `count`; an entry that does not parse is returned as null so it can be dropped. */
export async function readOldest(
  redis: Redis,
  count: number,
): Promise<Array<StreamEntry | { id: string; impression: null }>> {
  const entries = await redis.xrange(IMPRESSION_STREAM_KEY, '-', '+', 'COUNT', count);
  return entries.map(([id, fields]) => {
    const raw = fields[fields.indexOf('i') + 1];
    try {
      return { id, impression: raw ? (JSON.parse(raw) as Impression) : null };
    } catch {
      return { id, impression: null };
    }
  });
}

export async function deleteEntries(redis: Redis, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await redis.xdel(IMPRESSION_STREAM_KEY, ...ids);
}
