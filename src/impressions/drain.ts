import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { deleteEntries, MAX_PAGES_PER_ENTRY, readOldest } from './stream.js';
import { storeImpressions } from './store.js';

export interface DrainOptions {
  batchSize: number;
  /** Bounds one call (an activity attempt); the next scheduled run goes on where this one stopped. */
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
  // batchSize counts pages; an entry holds up to MAX_PAGES_PER_ENTRY of them.
  const entriesPerBatch = Math.max(1, Math.floor(options.batchSize / MAX_PAGES_PER_ENTRY));
  for (let batch = 0; batch < options.maxBatches; batch++) {
    const entries = await readOldest(redis, entriesPerBatch);
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
    if (entries.length < entriesPerBatch) return { ...result, drained: true };
  }
  return result;
}
