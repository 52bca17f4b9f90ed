import type {
  AnyBulkWriteOperation,
  Collection,
  Filter,
  FindOptions,
  MongoBulkWriteError,
  OptionalUnlessRequiredId,
  WithId,
  WithoutId,
} from 'mongodb';
import pMap from 'p-map';
import { DUPLICATE_KEY } from './mongo-errors.js';

/** Lookups by _id in flight at once: enough to hide round trips, well inside the driver's connection pool. */
const ID_LOOKUP_CONCURRENCY = 16;

/**
 * Many documents by _id, one lookup each. FerretDB 1.x on PostgreSQL finds an `_id` equality through its index (as
 * built here, docs/store.md) but never pushes an `$in` down, which scans the whole collection: one `$in` of 100 ids
 * costs more than 100 single lookups at 10k documents and grows with the collection (bench/store.ts). On MongoDB
 * the lookups are index hits too.
 */
export async function findByIds<T extends { _id: string }>(
  collection: Collection<T>,
  ids: readonly string[],
  options: Pick<FindOptions, 'projection'> = {},
): Promise<Map<string, WithId<T>>> {
  const docs = await pMap(new Set(ids), (_id) => collection.findOne({ _id } as Filter<T>, options), {
    concurrency: ID_LOOKUP_CONCURRENCY,
  });
  return new Map(docs.flatMap((doc) => (doc ? [[doc._id, doc] as const] : [])));
}

/**
 * Deletes documents by _id in one unordered bulk call of single deletes, each found through the _id index where a
 * `deleteMany` of an `$in` would scan the whole collection on FerretDB 1.x (see findByIds).
 */
export async function deleteByIds<T extends { _id: string }>(
  collection: Collection<T>,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const ops = ids.map((_id): AnyBulkWriteOperation<T> => ({ deleteOne: { filter: { _id } as Filter<T> } }));
  await collection.bulkWrite(ops, { ordered: false });
}

/**
 * Inserts every document whose _id is new (unordered, one bulk call) and returns the indexes of those whose _id
 * was already stored; any other write error is thrown.
 */
export async function insertManyNew<T extends { _id: string }>(
  collection: Collection<T>,
  docs: readonly OptionalUnlessRequiredId<T>[],
  options: { maxTimeMS?: number } = {},
): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await collection.insertMany([...docs], { ...options, ordered: false });
    return new Set();
  } catch (error) {
    const writeErrors = [(error as MongoBulkWriteError).writeErrors ?? []].flat();
    if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    return new Set(writeErrors.map((e) => e.index));
  }
}

/** One read-model write: `doc` replaces the stored document with its _id only where `newerThanStored` matches it. */
export interface GuardedReplace<T extends { _id: string }> {
  doc: T;
  /** Matches a stored document that `doc` may replace (an older or equal revision); without the _id. */
  newerThanStored: Filter<T>;
}

/**
 * Writes read-model documents by _id, each guarded: replaced only where the stored one is not newer, inserted where
 * none is stored, in unordered bulk calls. A document is never absent on the way (no delete), so a crash at any
 * point leaves the previous or the new version; a late or retried writer cannot overwrite newer state. Returns
 * for each entry whether it was written (false: a newer version is stored, the entry was skipped).
 *
 * A guard that fails turns the upsert into an insert of an _id that exists: duplicate key, which means "stale".
 * FerretDB 1.x stops an update batch at its first error even when unordered (MongoDB carries on), so when the
 * counts show that fewer were applied than did not fail, the entries after the first failure are sent again;
 * every entry is idempotent, so one applied twice is harmless.
 */
export async function replaceGuarded<T extends { _id: string }>(
  collection: Collection<T>,
  entries: readonly GuardedReplace<T>[],
): Promise<boolean[]> {
  const written = entries.map(() => true);
  let pending = entries.map((_, i) => i);
  while (pending.length > 0) {
    const ops = pending.map((i): AnyBulkWriteOperation<T> => {
      const { doc, newerThanStored } = entries[i] as GuardedReplace<T>;
      const filter = { ...newerThanStored, _id: doc._id } as Filter<T>;
      return { replaceOne: { filter, replacement: doc as WithoutId<T>, upsert: true } };
    });
    try {
      await collection.bulkWrite(ops, { ordered: false });
      return written;
    } catch (error) {
      const bulkError = error as MongoBulkWriteError;
      const writeErrors = [bulkError.writeErrors ?? []].flat();
      if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
      const failed = new Set(writeErrors.map((e) => e.index));
      for (const index of failed) written[pending[index] as number] = false;
      const applied = (bulkError.result?.matchedCount ?? 0) + (bulkError.result?.upsertedCount ?? 0);
      if (applied >= ops.length - failed.size) return written;
      const firstFailure = Math.min(...failed);
      pending = pending.filter((_, index) => index > firstFailure && !failed.has(index));
    }
  }
  return written;
}
