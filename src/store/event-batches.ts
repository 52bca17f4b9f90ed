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
 *
 * Bounded in time (writeBudget): past `deadlineMs` after `now` nothing more is written and IngestDeadlineExceeded is
 * thrown, so an entry the relay took as abandoned can never gain events afterwards.
 */
export async function storeEventBatch(
  db: Db,
  batchId: string,
  events: ReadonlyArray<Omit<EventDoc, 'batchId'>>,
  now: Date,
  { deadlineMs }: { deadlineMs: number },
): Promise<{ inserted: Set<string>; duplicates: Set<string> }> {
  const budget = writeBudget(now.getTime() + deadlineMs);
  await openOutboxEntry(db, batchId, now);
  // A key repeated within the batch is stored (and relayed) once, as its first occurrence; the caller reports the rest.
  const keys = new Set<string>();
  const docs = events.filter((e) => !keys.has(e._id) && keys.add(e._id)).map((event) => ({ ...event, batchId }));
  const stored = await insertNewEvents(db, docs, budget());
  await markOutboxEntryReady(
    db,
    batchId,
    docs.filter((doc) => stored.inserted.has(doc._id)),
    budget(),
  );
  return stored;
}

/** A request that could not store its batch in time; nothing more is written for it (503, the client retries). */
export class IngestDeadlineExceeded extends Error {
  constructor() {
    super('The event batch could not be stored in time');
    this.name = 'IngestDeadlineExceeded';
  }
}

/**
 * Every write of a batch starts before its deadline and carries the time left as the server's limit (maxTimeMS), so
 * no event of it is stored after the deadline. The relay treats an entry without a payload as abandoned only after
 * OUTBOX_STALE_MS, which callers keep well above the deadline (ingestDeadlineMs): by then the batch is complete.
 */
function writeBudget(deadlineAt: number): () => { maxTimeMS: number } {
  return () => {
    const left = deadlineAt - Date.now();
    if (left <= 0) throw new IngestDeadlineExceeded();
    return { maxTimeMS: left };
  };
}

/** A quarter of the stale age: the relay can never sweep an entry whose request may still write. */
export const ingestDeadlineMs = (outboxStaleMs: number): number => Math.floor(outboxStaleMs / 4);
