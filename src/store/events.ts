import type { Collection, Db, MongoBulkWriteError } from 'mongodb';
import type { EngagementType } from '../domain/engagement.js';
import { DUPLICATE_KEY } from './mongo-errors.js';

/**
 * `events` is the system of record for engagement. `_id` is the client's eventId, so the unique _id index makes
 * ingestion idempotent. `batchId` names the ingest request that stored the event: the outbox refers to it, so the
 * relay hands each event to its workflow exactly as stored, even when the API died right after the insert.
 */
export interface EventDoc {
  _id: string;
  userId: string;
  type: EngagementType;
  contentId?: string;
  creatorId?: string;
  value?: number;
  occurredAt: Date;
  receivedAt: Date;
  batchId: string;
}

export function eventsCollection(db: Db): Collection<EventDoc> {
  return db.collection<EventDoc>('events');
}

export async function ensureEventIndexes(db: Db): Promise<void> {
  await eventsCollection(db).createIndex({ batchId: 1 });
  await eventsCollection(db).createIndex({ userId: 1, occurredAt: -1 });
}

/** Inserts what is new and reports which eventIds were already stored (a client retry, not an error). */
export async function insertNewEvents(
  db: Db,
  docs: EventDoc[],
): Promise<{ inserted: Set<string>; duplicates: Set<string> }> {
  const duplicates = new Set<string>();
  if (docs.length === 0) return { inserted: new Set(), duplicates };
  try {
    await eventsCollection(db).insertMany(docs, { ordered: false });
  } catch (error) {
    const bulk = error as MongoBulkWriteError;
    const writeErrors = bulk.writeErrors === undefined ? [] : [bulk.writeErrors].flat();
    if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    for (const e of writeErrors) {
      const doc = docs[e.index];
      if (doc) duplicates.add(doc._id);
    }
  }
  return { inserted: new Set(docs.map((d) => d._id).filter((id) => !duplicates.has(id))), duplicates };
}

export function eventsOfBatches(db: Db, batchIds: string[]): Promise<EventDoc[]> {
  return eventsCollection(db)
    .find({ batchId: { $in: batchIds } })
    .toArray();
}
