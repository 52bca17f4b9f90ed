import type { Collection, Db } from 'mongodb';
import type { EngagementType } from '../domain/engagement.js';
import { insertManyNew } from './bulk.js';

/**
 * `events` is the system of record for engagement. An event's identity is (userId, eventId): `_id` is eventKey of
 * the two, so the unique _id index makes ingestion idempotent per user, and one user's ids never collide with (or
 * reveal) another's. `batchId` names the ingest request that stored the event: the outbox refers to it, so the
 * relay hands each event to its workflow exactly as stored, even when the API died right after the insert.
 */
export interface EventDoc {
  /** eventKey(userId, eventId); in events stored before per-user identity, the eventId alone. */
  _id: string;
  /** The client's eventId; absent in events stored before per-user identity (see eventIdOf). */
  eventId?: string;
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

/** `/` is not allowed in ids (schemas/common.ts Id), so the key is unambiguous. */
export const eventKey = (userId: string, eventId: string): string => `${userId}/${eventId}`;

export const eventIdOf = (doc: Pick<EventDoc, '_id' | 'eventId'>): string => doc.eventId ?? doc._id;

/** Inserts what is new and reports which keys (_id) were already stored (a client retry, not an error). */
export async function insertNewEvents(
  db: Db,
  docs: EventDoc[],
  options: { maxTimeMS?: number } = {},
): Promise<{ inserted: Set<string>; duplicates: Set<string> }> {
  const stored = await insertManyNew(eventsCollection(db), docs, options);
  const duplicates = new Set(docs.filter((_, i) => stored.has(i)).map((d) => d._id));
  return { inserted: new Set(docs.map((d) => d._id).filter((id) => !duplicates.has(id))), duplicates };
}

export function eventsOfBatches(db: Db, batchIds: string[]): Promise<EventDoc[]> {
  return eventsCollection(db)
    .find({ batchId: { $in: batchIds } })
    .toArray();
}
