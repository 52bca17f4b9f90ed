import type { Db } from 'mongodb';
import { markOutboxEntryReady, openOutboxEntry } from './event-outbox.js';
import { insertNewEvents, type EventDoc } from './events.js';

/**
 * Stores one ingest batch the way the relay expects it (see event-outbox.ts): outbox entry → events stamped with its
 * batchId → a payload of the events it newly stored, and the entry ready. POST /events and Brain Mode's like/share steps both ingest through here.
 *
 * Exactly-once rests on the event's key (userId, eventId): a retry with the same eventIds under a new batchId stores nothing new (the
 * events keep their first batchId, which the relay delivers or already delivered), so its entry relays no events.
 * A batchId must therefore be fresh per attempt; reusing one could re-relay events whose entry was already closed.
 */
export async function storeEventBatch(
  db: Db,
  batchId: string,
  events: ReadonlyArray<Omit<EventDoc, 'batchId'>>,
  now: Date,
): Promise<{ inserted: Set<string>; duplicates: Set<string> }> {
  await openOutboxEntry(db, batchId, now);
  // A key repeated within the batch is stored (and relayed) once, as its first occurrence; the caller reports the rest.
  const keys = new Set<string>();
  const docs = events.filter((e) => !keys.has(e._id) && keys.add(e._id)).map((event) => ({ ...event, batchId }));
  const stored = await insertNewEvents(db, docs);
  await markOutboxEntryReady(
    db,
    batchId,
    docs.filter((doc) => stored.inserted.has(doc._id)),
  );
  return stored;
}
