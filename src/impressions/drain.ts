import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { deleteEntries, readOldest } from './stream.js';
import { storeImpressions } from './store.js';

export interface DrainOptions {
  /** Stream entries per read; an entry holds one to 20 pages (stream.ts), so a full read moves at least as many pages. */
  batchSize: number;
  /**
   * Bounds one call (an activity attempt), together with batchSize × maxBatches pages; the next scheduled run goes
   * on where this one stopped.
   */
  maxBatches: number;
}

export interface DrainResult {
  stored: number;
  duplicates: number;
  /** Stream entries that did not parse (dropped). */
  malformed: number;
  /** True when the stream was emptied before maxBatches. */
  drained: boolean;
}

/**
 * Moves impressions from the Redis stream into MongoDB, oldest first: insert the batch, then delete it from the
 * stream. At-least-once and idempotent (the stream id is the document id), so two drains at once or a retry after
 * a crash store each impression exactly once.
 */
export async function drainImpressions(db: Db, redis: Redis, options: DrainOptions): Promise<DrainResult> {
  const result: DrainResult = { stored: 0, duplicates: 0, malformed: 0, drained: false };
  const pageBudget = options.batchSize * options.maxBatches;
  for (let batch = 0; batch < options.maxBatches && result.stored + result.duplicates < pageBudget; batch++) {
    const entries = await readOldest(redis, options.batchSize);
    if (entries.length === 0) return { ...result, drained: true };
    // A page's id is its entry's id and its place in the entry: a retried drain finds the same ids.
    const pages = entries.flatMap((e) => (e.impressions ?? []).map((impression, i) => ({ id: `${e.id}/${i}`, impression }))); // prettier-ignore
    const { inserted, duplicates } = await storeImpressions(db, pages);
    result.stored += inserted;
    result.duplicates += duplicates;
    result.malformed += entries.filter((e) => e.impressions === null).length;
    await deleteEntries(
      redis,
      entries.map((e) => e.id),
    );
    if (entries.length < options.batchSize) return { ...result, drained: true };
  }
  return result;
}
