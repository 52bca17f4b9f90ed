import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { deleteEntries, readOldest } from './stream.js';
import { storeImpressions } from './store.js';

export interface DrainOptions {
  batchSize: number;
  /** Bounds one call (an activity attempt); the next scheduled run goes on where this one stopped. */
  maxBatches: number;
}

export interface DrainResult {
  stored: number;
  duplicates: number;
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
  for (let batch = 0; batch < options.maxBatches; batch++) {
    const entries = await readOldest(redis, options.batchSize);
    if (entries.length === 0) return { ...result, drained: true };
    const valid = entries.filter(
      (e): e is { id: string; impression: NonNullable<typeof e.impression> } => e.impression !== null,
    );
    const { inserted, duplicates } = await storeImpressions(db, valid);
    result.stored += inserted;
    result.duplicates += duplicates;
    result.malformed += entries.length - valid.length;
    await deleteEntries(
      redis,
      entries.map((e) => e.id),
    );
    if (entries.length < options.batchSize) return { ...result, drained: true };
  }
  return result;
}
