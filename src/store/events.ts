import type { Collection, Db } from 'mongodb';
import type { EngagementType } from '../domain/engagement.js';
import { insertManyNew } from './bulk.js';

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
  const stored = await insertManyNew(eventsCollection(db), docs);
  const duplicates = new Set(docs.filter((_, i) => stored.has(i)).map((d) => d._id));
  return { inserted: new Set(docs.map((d) => d._id).filter((id) => !duplicates.has(id))), duplicates };
}

export function eventsOfBatches(db: Db, batchIds: string[]): Promise<EventDoc[]> {
  return eventsCollection(db)
    .find({ batchId: { $in: batchIds } })
    .toArray();
}
