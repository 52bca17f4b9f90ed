import type { FastifyRequest } from 'fastify';
import type { Db } from 'mongodb';
import { findIdempotentReply, idempotencyId, saveIdempotentReply } from '../store/idempotency.js';

export interface StoredReply<T> {
  status: number;
  body: T;
}

/**
 * Runs a creating POST once per `Idempotency-Key` (DESIGN.md): a repeat with the same key from the same caller gets
 * the first reply. Only successes are remembered, so a request refused for bad input may be corrected and retried
 * under the same key. Without the header the request simply runs.
 */
export async function idempotent<T>(
  db: Db,
  request: FastifyRequest,
  scope: string,
  run: () => Promise<StoredReply<T>>,
): Promise<StoredReply<T>> {
  const key = request.headers['idempotency-key'];
  const caller = request.principal?.userId;
  if (typeof key !== 'string' || !caller) return run();
  const id = idempotencyId(scope, caller, key);
  const stored = await findIdempotentReply(db, id);
  if (stored) return { status: stored.status, body: stored.body as T };
  const reply = await run();
  await saveIdempotentReply(db, id, reply.status, reply.body);
  return reply;
}
