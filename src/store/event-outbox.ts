import type { Collection, Db } from 'mongodb';
import type { EventDoc } from './events.js';

/**
 * One outbox entry per ingest request, written BEFORE its events. FerretDB 1.x has no transactions, so the pair
 * "events stored" + "events still to relay" cannot be one write; instead the entry names the batch. Once the
 * batch's events are stored, the entry is marked ready with a copy of the events it newly stored, so the relay
 * reads only the outbox, never the ever-growing `events` collection (FerretDB 1.x serves any query but a lone _id
 * equality by scanning the whole collection). If the API dies before that, the entry goes stale without a copy
 * and the relay reads the batch's events by `batchId`: exactly those that were stored. Deleting an entry by _id
 * is cheap even on FerretDB, unlike updateMany over thousands of events.
 */
export interface OutboxEntry {
  _id: string;
  createdAt: Date;
  /** Set once the batch's events are stored; before that only a stale entry (a crashed request) is relayed. */
  ready?: true;
  /** The events this batch newly stored (not the duplicates of earlier batches), set with `ready`. */
  events?: EventDoc[];
}

export function outboxCollection(db: Db): Collection<OutboxEntry> {
  return db.collection<OutboxEntry>('event_outbox');
}

export async function ensureOutboxIndexes(db: Db): Promise<void> {
  await outboxCollection(db).createIndex({ createdAt: 1 });
}

export async function openOutboxEntry(db: Db, batchId: string, now: Date): Promise<void> {
  await outboxCollection(db).insertOne({ _id: batchId, createdAt: now });
}

/** Without `events` (older entries, tests replaying a crash) the relay falls back to reading them by batchId. */
export async function markOutboxEntryReady(db: Db, batchId: string, events?: EventDoc[]): Promise<void> {
  await outboxCollection(db).updateOne({ _id: batchId }, { $set: { ready: true, ...(events ? { events } : {}) } });
}

/**
 * Entries whose events are all stored, plus those a request opened but never finished (older than staleBefore:
 * requests are bounded in time, so by then every insert of that batch has either happened or never will).
 */
export function relayableOutboxEntries(db: Db, staleBefore: Date, limit: number): Promise<OutboxEntry[]> {
  return outboxCollection(db)
    .find({ $or: [{ ready: true }, { createdAt: { $lt: staleBefore } }] })
    .sort({ createdAt: 1 })
    .limit(limit)
    .toArray();
}

/** One delete by _id each: the only filter FerretDB 1.x serves from its index ($in would scan the outbox). */
export async function closeOutboxEntries(db: Db, batchIds: string[]): Promise<void> {
  await Promise.all(batchIds.map((_id) => outboxCollection(db).deleteOne({ _id })));
}
