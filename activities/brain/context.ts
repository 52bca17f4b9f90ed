import { activityInfo, ApplicationFailure, getClient } from '@temporalio/activity';
import type { Db } from 'mongodb';
import type { GraphDeps } from '../../src/api/routes/social/graph.js';
import { resolveIdentity } from '../../src/api/routes/identities/handle-claims.js';
import { isRole, type Principal } from '../../src/api/principal.js';
import { ProblemError } from '../../src/api/problems.js';
import { loadConfig, type Config } from '../../src/config.js';
import { rejectionStatus } from '../../src/domain/schedule.js';
import { StationRejection } from '../../src/temporal/station-updates.js';
import type { BrainCaller } from '../../workflows/brain-command/messages.js';

/**
 * What every Brain Mode step runs with: the caller as a REST principal (so the REST checks apply unchanged), the
 * stores, and the Temporal client and config the social and station rules signal with.
 */
export interface StepContext {
  db: Db;
  caller: Principal;
  commandId: string;
  graph(): GraphDeps;
  config(): Config;
}

export function principalOf(caller: BrainCaller): Principal {
  return { userId: caller.userId, roles: caller.roles.filter(isRole) };
}

let baseConfig: Config | undefined;
/** The worker's config, on the task queue this activity runs on (tests give each file its own queue). */
export function workerConfig(): Config {
  baseConfig ??= loadConfig();
  return { ...baseConfig, TEMPORAL_TASK_QUEUE: activityInfo().taskQueue };
}

export function stepContext(db: Db, caller: BrainCaller, commandId: string): StepContext {
  return {
    db,
    caller: principalOf(caller),
    commandId,
    config: workerConfig,
    graph: () => ({ db, temporal: getClient(), config: workerConfig() }),
  };
}

/** A refusal the caller would have got from REST: final, so no retry; the workflow records code and status. */
export function refusal(code: string, status: number, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true, details: [{ status }] });
}

const SLUGS: Readonly<Record<string, string>> = {
  'bad-request': 'bad_request',
  forbidden: 'forbidden',
  'not-found': 'not_found',
  conflict: 'conflict',
  'validation-failed': 'unprocessable',
};

/** REST problems and station rejections become refusals; anything else is left to the retry policy. */
export function asRefusal(error: unknown): unknown {
  if (error instanceof ProblemError && error.status < 500 && error.status !== 429) {
    return refusal(SLUGS[error.slug] ?? error.slug, error.status, error.message);
  }
  if (error instanceof StationRejection) return refusal(error.code, rejectionStatus(error.code), error.message);
  return error;
}

/** "@alice" → alice's user id, through the identities store like GET /identities/:handle; 404 when nobody has it. */
export async function userIdOf(db: Db, handle: string): Promise<string> {
  const bare = handle.replace(/^@/, '');
  let found = await resolveIdentity(db, bare, new Date());
  if (found && 'redirectTo' in found) found = await resolveIdentity(db, found.redirectTo, new Date());
  if (found && 'identity' in found) return found.identity._id;
  throw refusal('not_found', 404, `Nobody has the handle @${bare}`);
}
