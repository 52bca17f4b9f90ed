import { ApplicationFailure, getClient, log } from '@temporalio/activity';
import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import type { Config } from '../../src/config.js';
import { isRole, type Principal } from '../../src/domain/principal.js';
import { Refusal } from '../../src/domain/refusal.js';
import { rejectionStatus } from '../../src/domain/schedule.js';
import { resolveHandle } from '../../src/store/identity-lookup.js';
import { callerRateLimit, callerRateLimitKey, consumeRateLimit } from '../../src/store/rate-limits.js';
import type { GraphDeps } from '../../src/workflow-clients/social-graph.js';
import { StationRejection } from '../../src/workflow-clients/station-updates.js';
import type { BrainCaller } from '../../workflows/brain-command/messages.js';
import type { ActivityDeps } from '../deps.js';

/**
 * What every Brain Mode step runs with: the caller as a principal (so the REST rules apply unchanged), the stores,
 * the worker's config, and the Temporal client the social and station rules signal with.
 */
export interface StepContext {
  db: Db;
  redis: Redis;
  config: Config;
  caller: Principal;
  commandId: string;
  graph(): GraphDeps;
}

export function principalOf(caller: BrainCaller): Principal {
  return { userId: caller.userId, roles: caller.roles.filter(isRole) };
}

export function stepContext({ db, redis, config }: ActivityDeps, caller: BrainCaller, commandId: string): StepContext {
  return {
    db,
    redis,
    config,
    caller: principalOf(caller),
    commandId,
    graph: () => ({ db, redis, temporal: getClient(), config }),
  };
}

/** A refusal the caller would have got from REST: final, so no retry; the workflow records code and status. */
export function refusal(code: string, status: number, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true, details: [{ status }] });
}

/** Domain refusals and station rejections become refusals; anything else is left to the retry policy. */
export function asRefusal(error: unknown): unknown {
  if (error instanceof Refusal) return refusal(error.code, error.status, error.message);
  if (error instanceof StationRejection) return refusal(error.code, rejectionStatus(error.code), error.message);
  return error;
}

/**
 * Spends `requests` of the caller's REST budget (the same Redis counter and limit as the API's limiter): a step
 * costs what the REST calls it stands for would, one per follow, block, tip, event or station change. Over the
 * limit the step is refused with rate_limited (429); every attempt spends, as a client's retried request would.
 * While Redis is unreachable the step goes ahead, as REST requests do (skipOnError).
 */
export async function spendCallerBudget(ctx: StepContext, requests: number): Promise<void> {
  const limit = callerRateLimit(ctx.config);
  const use = await consumeRateLimit(ctx.redis, callerRateLimitKey(ctx.caller.userId), limit, requests).catch(
    (error: unknown) => {
      log.warn('rate limit not checked: Redis unreachable', { error: String(error) });
      return null;
    },
  );
  if (use?.exceeded) {
    throw new Refusal(
      'rate_limited',
      `Rate limit of ${limit.max} requests per ${limit.windowMs / 1000} s exceeded; retry in ${Math.ceil(use.ttlMs / 1000)} s`,
      undefined,
      use.ttlMs,
    );
  }
}

/** "@alice" → alice's user id, through the identities store like GET /identities/:handle; 404 when nobody has it. */
export async function userIdOf(db: Db, handle: string): Promise<string> {
  const bare = handle.replace(/^@/, '');
  let found = await resolveHandle(db, bare, new Date());
  if (found && 'redirectTo' in found) found = await resolveHandle(db, found.redirectTo, new Date());
  if (found && 'identity' in found) return found.identity._id;
  throw refusal('not_found', 404, `Nobody has the handle @${bare}`);
}
