import type { Collection, Db } from 'mongodb';

/**
 * One outbox entry per ingest request, written BEFORE its events. FerretDB 1.x has no transactions, so the pair
 * "events stored" + "events still to relay" cannot be one write; instead the entry names the batch, and the relay
 * reads the batch's events by `batchId`. If the API dies between the two writes, the relay finds an entry with no
 * (or some) events and relays exactly those that were stored. Deleting an entry by _id is cheap even on FerretDB,
 * unlike updateMany over thousands of events.
 */
export interface OutboxEntry {
  _id: string;
  createdAt: Date;
  /** Set once the batch's events are stored; before that only a stale entry (a crashed request) is relayed. */
  ready?: true;
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

export async function markOutboxEntryReady(db: Db, batchId: string): Promise<void> {
  await outboxCollection(db).updateOne({ _id: batchId }, { $set: { ready: true } });
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

export async function closeOutboxEntries(db: Db, batchIds: string[]): Promise<void> {
  if (batchIds.length > 0) await outboxCollection(db).deleteMany({ _id: { $in: batchIds } });
}
