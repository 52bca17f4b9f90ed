import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { DUPLICATE_KEY } from './mongo-errors.js';

/**
 * Replies to creating POSTs, keyed by the caller and their Idempotency-Key, so a client retrying after a lost
 * reply gets the first result instead of a 409 or a second resource. Kept in Mongo, not Redis: losing it would
 * change answers, not just speed.
 *
 * A key is reserved (`pending`) before the request runs, so a concurrent repeat finds it and waits for the reply
 * instead of running a second time. A reservation whose request died (API crash) lapses at `leaseUntil`; a reply
 * lapses at `expiresAt`. Both are checked on read: FerretDB 1.x has no TTL indexes, so there expired documents stay
 * until their key is used again, while MongoDB deletes them through the TTL index.
 */
export interface IdempotentReplyDoc {
  _id: string;
  /** Absent in documents written before reservations existed: those are replies. */
  state?: 'pending' | 'done';
  /** Names the request holding a reservation, so only it completes or releases it. */
  token?: string;
  status?: number;
  body?: unknown;
  createdAt: Date;
  leaseUntil?: Date;
  /** Absent in documents written before expiry existed: createdAt + the TTL then. */
  expiresAt?: Date;
}

export type IdempotencyClaim =
  | { kind: 'reserved'; token: string }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in-progress'; leaseUntil: Date };

export interface IdempotencyTimes {
  now: Date;
  ttlMs: number;
  leaseMs: number;
}

/** MongoDB's NotImplemented, which FerretDB 1.x answers to a TTL index. */
const NOT_IMPLEMENTED = 238;

function idempotencyCollection(db: Db): Collection<IdempotentReplyDoc> {
  return db.collection<IdempotentReplyDoc>('idempotency_keys');
}

export async function ensureIdempotencyIndexes(db: Db): Promise<void> {
  try {
    await idempotencyCollection(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  } catch (error) {
    if ((error as { code?: number }).code !== NOT_IMPLEMENTED) throw error;
  }
}

export function idempotencyId(scope: string, callerId: string, key: string): string {
  return `${scope}:${callerId}:${key}`;
}

export function findIdempotentReply(db: Db, id: string): Promise<IdempotentReplyDoc | null> {
  return idempotencyCollection(db).findOne({ _id: id });
}

/**
 * Reserves the key for this request, or says what holds it: a live reply to replay or a request still running.
 * A lapsed reply or reservation is taken over with a write conditioned on the exact document read, so of two
 * requests taking over the same one, one wins and the other sees its reservation.
 */
export async function claimIdempotencyKey(db: Db, id: string, times: IdempotencyTimes): Promise<IdempotencyClaim> {
  const token = randomUUID();
  const reservation: IdempotentReplyDoc = {
    _id: id,
    state: 'pending',
    token,
    createdAt: times.now,
    leaseUntil: new Date(times.now.getTime() + times.leaseMs),
    expiresAt: new Date(times.now.getTime() + times.ttlMs),
  };
  const collection = idempotencyCollection(db);
  let existing = await collection.findOne({ _id: id });
  if (!existing) {
    try {
      await collection.insertOne(reservation);
      return { kind: 'reserved', token };
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
    existing = await collection.findOne({ _id: id });
    if (!existing) return { kind: 'in-progress', leaseUntil: times.now }; // released meanwhile: ask again
  }
  const claim = liveClaim(existing, times);
  if (claim) return claim;
  const { matchedCount } = await collection.replaceOne(
    { _id: id, createdAt: existing.createdAt, token: existing.token ?? { $exists: false } },
    reservation,
  );
  if (matchedCount === 1) return { kind: 'reserved', token };
  return { kind: 'in-progress', leaseUntil: times.now };
}

function liveClaim(doc: IdempotentReplyDoc, { now, ttlMs }: IdempotencyTimes): IdempotencyClaim | null {
  if (doc.state === 'pending') {
    return doc.leaseUntil && doc.leaseUntil > now ? { kind: 'in-progress', leaseUntil: doc.leaseUntil } : null;
  }
  const expiresAt = doc.expiresAt ?? new Date(doc.createdAt.getTime() + ttlMs);
  return expiresAt > now ? { kind: 'replay', status: doc.status ?? 200, body: doc.body } : null;
}

/** Stores the reply under this request's reservation (kept for the TTL from now). */
export async function completeIdempotentReply(
  db: Db,
  id: string,
  token: string,
  reply: { status: number; body: unknown },
  times: Pick<IdempotencyTimes, 'now' | 'ttlMs'>,
): Promise<void> {
  const expiresAt = new Date(times.now.getTime() + times.ttlMs);
  await idempotencyCollection(db).updateOne(
    { _id: id, token, state: 'pending' },
    { $set: { state: 'done', status: reply.status, body: reply.body, expiresAt }, $unset: { leaseUntil: '' } },
  );
}

/** Frees the key after a failed request: failures are not remembered, so a corrected retry may use the key. */
export async function releaseIdempotencyKey(db: Db, id: string, token: string): Promise<void> {
  await idempotencyCollection(db).deleteOne({ _id: id, token, state: 'pending' });
}
