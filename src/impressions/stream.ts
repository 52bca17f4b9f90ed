/**
 * Impressions leave the request path through a Redis stream: the feed route appends its page (XADD, not awaited;
 * pages served together share one entry) and a scheduled activity drains the stream into MongoDB in batches
 * (drain.ts). A capped stream (MAXLEN ~) means a stalled drain costs the oldest impressions, never Redis memory or
 * feed latency.
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

/** Pages per stream entry: enough to make a busy API's logging one XADD per turn, small enough for the drain. */
const MAX_PAGES_PER_ENTRY = 20;
const batchers = new WeakMap<Redis, GroupBatcher<string, void>>();

/**
 * Appends one impression; resolves whatever happens (a lost impression must never fail or slow a feed).
 * Pages served while the previous XADD is in flight go out together as one stream entry holding their JSON array
 * (group commit): per page this costs one JSON.stringify, not a Redis command on both ends. The cap is in entries,
 * so it is scaled by this entry's pages to keep about `maxLen` pages.
 */
export function appendImpression(redis: Redis, impression: Impression, maxLen: number): Promise<void> {
  let batcher = batchers.get(redis);
  if (!batcher) {
    batcher = createGroupBatcher(async (pages: string[]) => {
      const maxEntries = Math.ceil(maxLen / pages.length);
      await redis.xadd(IMPRESSION_STREAM_KEY, 'MAXLEN', '~', maxEntries, '*', 'p', `[${pages.join(',')}]`);
      impressionsLogged.inc({ outcome: 'logged' }, pages.length);
      return pages.map(() => undefined);
    }, MAX_PAGES_PER_ENTRY);
    batchers.set(redis, batcher);
  }
  return batcher.submit(JSON.stringify(impression)).catch(() => {
    impressionsLogged.inc({ outcome: 'failed' });
  });
}

/** One stream entry: the pages logged together, or null when it does not parse (it is dropped). */
export interface StreamEntry {
  id: string;
  impressions: Impression[] | null;
}

/** The oldest entries, at most `count` (each holds up to MAX_PAGES_PER_ENTRY pages). */
export async function readOldest(redis: Redis, count: number): Promise<StreamEntry[]> {
  const entries = await redis.xrange(IMPRESSION_STREAM_KEY, '-', '+', 'COUNT', count);
  return entries.map(([id, fields]) => {
    const raw = fields[fields.indexOf('p') + 1];
    try {
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      return { id, impressions: Array.isArray(parsed) ? (parsed as Impression[]) : null };
    } catch {
      return { id, impressions: null };
    }
  });
}

export async function deleteEntries(redis: Redis, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await redis.xdel(IMPRESSION_STREAM_KEY, ...ids);
}
