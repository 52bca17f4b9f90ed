import type { Collection, Filter, MongoBulkWriteError, OptionalUnlessRequiredId, WithId } from 'mongodb';
import { DUPLICATE_KEY } from './mongo-errors.js';

/**
 * Many documents by _id in one query: on FerretDB 1.x even a lookup by _id reads the whole collection, so one
 * query for many ids costs about what one for a single id does.
 */
export async function findByIds<T extends { _id: string }>(
  collection: Collection<T>,
  ids: readonly string[],
): Promise<Map<string, WithId<T>>> {
  if (ids.length === 0) return new Map();
  const docs = await collection.find({ _id: { $in: [...ids] } } as Filter<T>).toArray();
  return new Map(docs.map((doc) => [doc._id, doc]));
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
