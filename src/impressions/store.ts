import type { Collection, Db } from 'mongodb';
import { insertManyNew } from '../store/bulk.js';
import type { Impression, ShownItem } from './impression.js';

/**
 * `impressions`: one document per served page. `_id` is the stream entry id and the page's place in it, so a drain
 * that dies between the insert and the XDEL inserts nothing twice on its retry. `at` carries the TTL index: impressions are training
 * input, kept IMPRESSION_TTL_DAYS, and the labelled rows the join derives from them outlive them.
 */
export interface ImpressionDoc extends Omit<Impression, 'atMs'> {
  _id: string;
  at: Date;
  items: ShownItem[];
}

export function impressionsCollection(db: Db): Collection<ImpressionDoc> {
  return db.collection<ImpressionDoc>('impressions');
}

/** MongoDB's NotImplemented: FerretDB answers it to a TTL index, so expireImpressions deletes them there. */
const NOT_IMPLEMENTED = 238;

export async function ensureImpressionIndexes(db: Db, ttlDays: number): Promise<void> {
  const impressions = impressionsCollection(db);
  try {
    await impressions.createIndex({ at: 1 }, { expireAfterSeconds: Math.round(ttlDays * 86_400), name: 'at_ttl' });
  } catch (error) {
    if ((error as { code?: number }).code !== NOT_IMPLEMENTED) throw error;
    await impressions.createIndex({ at: 1 });
  }
  await impressions.createIndex({ userId: 1, at: 1 });
}

/** The TTL by hand (each drain), for stores without TTL indexes; on MongoDB it finds little left to delete. */
export async function expireImpressions(db: Db, ttlDays: number, nowMs: number): Promise<number> {
  const { deletedCount } = await impressionsCollection(db).deleteMany({
    at: { $lt: new Date(nowMs - ttlDays * 86_400_000) },
  });
  return deletedCount;
}

export async function storeImpressions(db: Db, entries: ReadonlyArray<{ id: string; impression: Impression }>) {
  const docs = entries.map(({ id, impression: { atMs, ...rest } }): ImpressionDoc => ({
    _id: id,
    ...rest,
    at: new Date(atMs),
  }));
  const duplicates = await insertManyNew(impressionsCollection(db), docs);
  return { inserted: docs.length - duplicates.size, duplicates: duplicates.size };
}
