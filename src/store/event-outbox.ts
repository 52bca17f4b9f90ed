import type { Collection, Db } from 'mongodb';
import { deleteByIds, findByIds, insertManyNew } from './bulk.js';
import type { EventDoc } from './events.js';

/**
 * One outbox entry per ingest request, written BEFORE its events. FerretDB 1.x has no transactions, so the pair
 * "events stored" + "events still to relay" cannot be one write; instead the entry names the batch. Once the
 * batch's events are stored, a copy of the events it newly stored is inserted into `event_outbox_payloads` under
 * the same id and the entry is marked ready, so the relay never reads the ever-growing `events` collection
 * (FerretDB 1.x serves any query but an _id equality by scanning the whole collection). If the API dies before the
 * copy, the entry goes stale without one and the relay reads the batch's events by `batchId`: exactly those that
 * were stored.
 *
 * Entries stay tiny, so the relay's scans of them cost little; payloads are only ever inserted, and read and
 * deleted by _id once delivered.
 */
export interface OutboxEntry {
  _id: string;
  createdAt: Date;
  /** Set once the batch's events are stored; before that only a stale entry (a crashed request) is relayed. */
  ready?: true;
}

/** The events a batch newly stored (not the duplicates of earlier batches); `_id` is the batchId. */
export interface OutboxPayload {
  _id: string;
  events: EventDoc[];
}

export function outboxCollection(db: Db): Collection<OutboxEntry> {
  return db.collection<OutboxEntry>('event_outbox');
}

export function outboxPayloadsCollection(db: Db): Collection<OutboxPayload> {
  return db.collection<OutboxPayload>('event_outbox_payloads');
}

export async function ensureOutboxIndexes(db: Db): Promise<void> {
  await outboxCollection(db).createIndex({ createdAt: 1 });
}

export async function openOutboxEntry(db: Db, batchId: string, now: Date): Promise<void> {
  await outboxCollection(db).insertOne({ _id: batchId, createdAt: now });
}

/**
 * Without `events` (tests replaying a crash) the relay falls back to reading the batch's events by batchId. False when
 * the entry is gone: the relay took it as stale and relayed the batch's events by batchId (a request that ran that
 * long stored nothing since, see storeEventBatch's deadline); the payload is then removed, never left behind.
 */
export async function markOutboxEntryReady(
  db: Db,
  batchId: string,
  events?: EventDoc[],
  options: { maxTimeMS?: number } = {},
): Promise<boolean> {
  if (events) await outboxPayloadsCollection(db).insertOne({ _id: batchId, events }, options);
  const { matchedCount } = await outboxCollection(db).updateOne({ _id: batchId }, { $set: { ready: true } }, options);
  if (matchedCount === 0 && events) await outboxPayloadsCollection(db).deleteOne({ _id: batchId });
  return matchedCount > 0;
}

/**
 * Entries whose events are all stored, plus those a request opened but never finished (older than staleBefore:
 * requests are bounded in time, so by then every insert of that batch has either happened or never will). Entries
 * under another relay's live lease are left out, so a second relay takes the next ones instead of the same.
 */
export async function relayableOutboxEntries(
  db: Db,
  staleBefore: Date,
  limit: number,
  now = new Date(),
): Promise<OutboxEntry[]> {
  const leased = await leasesCollection(db)
    .find({ until: { $gte: now } }, { projection: { _id: 1 } })
    .toArray();
  return outboxCollection(db)
    .find({
      $or: [{ ready: true }, { createdAt: { $lt: staleBefore } }],
      ...(leased.length > 0 ? { _id: { $nin: leased.map((l) => l._id) } } : {}),
    })
    .sort({ createdAt: 1 })
    .limit(limit)
    .toArray();
}

/**
 * A relay's claim on an outbox entry until `until`. The claim is an insert under the entry's id, which the unique _id
 * index gives to exactly one relay (an update-based claim is not atomic on FerretDB); a lease left by a relay that
 * died expires and is then cleared, so its entries are taken over.
 */
interface OutboxLease {
  _id: string;
  owner: string;
  until: Date;
}

function leasesCollection(db: Db): Collection<OutboxLease> {
  return db.collection<OutboxLease>('event_outbox_leases');
}

/**
 * The ids of `batchIds` this owner now holds a lease on, and how many expired leases were cleared first to take them
 * (a relay that died, or that stalled longer than its lease without renewing it).
 */
export async function leaseOutboxEntries(
  db: Db,
  batchIds: string[],
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<{ leased: string[]; expired: number }> {
  if (batchIds.length === 0) return { leased: [], expired: 0 };
  const { deletedCount } = await leasesCollection(db).deleteMany({ _id: { $in: batchIds }, until: { $lt: now } });
  const until = new Date(now.getTime() + leaseMs);
  const taken = await insertManyNew(
    leasesCollection(db),
    batchIds.map((_id) => ({ _id, owner, until })),
  );
  return { leased: batchIds.filter((_, i) => !taken.has(i)), expired: deletedCount };
}

/**
 * Extends this owner's leases on `batchIds` to now + leaseMs, so entries that take longer than one lease to deliver
 * stay this relay's. Returns the ids it still holds: a lease that expired and was taken by another relay is not renewed.
 */
export async function renewOutboxLeases(
  db: Db,
  batchIds: string[],
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<string[]> {
  if (batchIds.length === 0) return [];
  const until = new Date(now.getTime() + leaseMs);
  const filter = { _id: { $in: batchIds }, owner };
  const { matchedCount } = await leasesCollection(db).updateMany(filter, { $set: { until } });
  if (matchedCount === batchIds.length) return batchIds;
  const held = await leasesCollection(db)
    .find(filter, { projection: { _id: 1 } })
    .toArray();
  return held.map((lease) => lease._id);
}

/** Gives up this owner's leases on `batchIds` (a relay stopping), so another relay may take the entries at once. */
export async function releaseOutboxLeases(db: Db, batchIds: string[], owner: string): Promise<void> {
  if (batchIds.length === 0) return;
  await leasesCollection(db).deleteMany({ _id: { $in: batchIds }, owner });
}

/**
 * The payloads of these batches, by batchId: each looked up by _id. A payload holds a whole request's events, so a
 * scan (what an `$in` is on FerretDB) would read every payload not yet deleted, and the dead rows of those deleted.
 */
export async function outboxPayloads(db: Db, batchIds: string[]): Promise<Map<string, EventDoc[]>> {
  const docs = await findByIds(outboxPayloadsCollection(db), batchIds);
  return new Map([...docs].map(([batchId, doc]) => [batchId, doc.events]));
}

/** Entries and payloads together; the payloads first, so a crash in between leaves an entry to relay again. */
export async function closeOutboxEntries(db: Db, batchIds: string[]): Promise<void> {
  await deleteByIds(outboxPayloadsCollection(db), batchIds);
  await deleteByIds(outboxCollection(db), batchIds);
  await deleteByIds(leasesCollection(db), batchIds);
}
