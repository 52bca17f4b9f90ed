import type { Collection, Db } from 'mongodb';
import { DUPLICATE_KEY } from './mongo-errors.js';

/**
 * Replies to creating POSTs, keyed by the caller and their Idempotency-Key, so a client retrying after a lost
 * reply gets the first result instead of a 409 or a second resource. Kept in Mongo, not Redis: losing it would
 * change answers, not just speed.
 */
export interface IdempotentReplyDoc {
  _id: string;
  status: number;
  body: unknown;
  createdAt: Date;
}

function idempotencyCollection(db: Db): Collection<IdempotentReplyDoc> {
  return db.collection<IdempotentReplyDoc>('idempotency_keys');
}

export function idempotencyId(scope: string, callerId: string, key: string): string {
  return `${scope}:${callerId}:${key}`;
}

export function findIdempotentReply(db: Db, id: string): Promise<IdempotentReplyDoc | null> {
  return idempotencyCollection(db).findOne({ _id: id });
}

/** The first reply stored under the id wins; a concurrent duplicate keeps it. */
export async function saveIdempotentReply(db: Db, id: string, status: number, body: unknown): Promise<void> {
  try {
    await idempotencyCollection(db).insertOne({ _id: id, status, body, createdAt: new Date() });
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
  }
}
