import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import type { Db } from 'mongodb';
import {
  claimIdempotencyKey,
  completeIdempotentReply,
  idempotencyId,
  releaseIdempotencyKey,
} from '../store/idempotency.js';
import { ProblemError } from './problems.js';

export interface StoredReply<T> {
  status: number;
  body: T;
}

const HOUR_MS = 3_600_000;
/**
 * How long a reservation outlives a request that died without releasing it (an API process killed mid-request):
 * far above any creating request's time, which the Temporal and Mongo timeouts bound.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;
const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 250;

/**
 * Runs a creating POST once per `Idempotency-Key` (docs/api-behaviour.md): a repeat with the same key from the same caller gets
 * the first reply, for IDEMPOTENCY_TTL_HOURS. A repeat that arrives while the first request is still running waits
 * for its reply (up to IDEMPOTENCY_WAIT_MS) and replays it, so two concurrent first requests get the same answer;
 * past the wait it gets 409 `request-in-progress` with Retry-After. Only successes are remembered, so a request
 * refused for bad input may be corrected and retried under the same key (a waiting repeat then runs itself).
 * Without the header the request simply runs.
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
  const { IDEMPOTENCY_TTL_HOURS, IDEMPOTENCY_WAIT_MS } = request.server.config;
  const ttlMs = IDEMPOTENCY_TTL_HOURS * HOUR_MS;
  const id = idempotencyId(scope, caller, key);
  const waitUntil = Date.now() + IDEMPOTENCY_WAIT_MS;
  for (let pollMs = FIRST_POLL_MS; ; pollMs = Math.min(MAX_POLL_MS, pollMs * 2)) {
    const claim = await claimIdempotencyKey(db, id, { now: new Date(), ttlMs, leaseMs: IDEMPOTENCY_LEASE_MS });
    if (claim.kind === 'replay') return { status: claim.status, body: claim.body as T };
    if (claim.kind === 'reserved') return runReserved(claim.token);
    if (Date.now() >= waitUntil) throw requestInProgress(key, claim.leaseUntil.getTime() - Date.now());
    await sleep(pollMs);
  }

  async function runReserved(token: string): Promise<StoredReply<T>> {
    let reply: StoredReply<T>;
    try {
      reply = await run();
    } catch (error) {
      await releaseIdempotencyKey(db, id, token).catch((releaseError: unknown) =>
        request.log.warn({ err: releaseError }, 'idempotency key not released; it lapses with its lease'),
      );
      throw error;
    }
    await completeIdempotentReply(db, id, token, reply, { now: new Date(), ttlMs });
    return reply;
  }
}

function requestInProgress(key: string, leaseLeftMs: number): ProblemError {
  // A short hint: the first request usually finishes in well under a second; the lease only bounds a dead one.
  const retryAfter = Math.min(5, Math.max(1, Math.ceil(leaseLeftMs / 1000)));
  return new ProblemError(
    409,
    'request-in-progress',
    'Request In Progress',
    `A request with Idempotency-Key "${key}" is still running; repeat it shortly to get its reply`,
    { headers: { 'retry-after': String(retryAfter) } },
  );
}
