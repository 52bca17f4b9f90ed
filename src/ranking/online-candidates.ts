import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { rebuildHotCachesInBackground } from '../cache/rebuild.js';
import { readySignals } from '../cache/user-signals.js';
import type { InterestProfile } from '../domain/interest-profile.js';
import { candidatesFromCache } from './cached-candidates.js';
import {
  candidatesFromStore,
  DEFAULT_CANDIDATE_LIMITS,
  type CandidateLimits,
  type CandidateSet,
} from './candidates.js';

export interface OnlineDeps {
  db: Db;
  redis: Redis;
  warn?: (error: unknown, message: string) => void;
}

/**
 * The online path's candidates: from the hot structures in Redis when they are complete, otherwise from MongoDB
 * while a rebuild of them runs in the background. Both read the same sources under the same rules.
 */
export async function gatherCandidates(
  deps: OnlineDeps,
  userId: string,
  profile: InterestProfile | null,
  nowMs: number,
  limits: CandidateLimits = DEFAULT_CANDIDATE_LIMITS,
): Promise<CandidateSet> {
  const signals = await readySignals(deps.redis, userId);
  if (signals) return candidatesFromCache(deps.redis, userId, profile, nowMs, limits, signals);
  const warn = deps.warn ?? (() => undefined);
  await rebuildHotCachesInBackground(deps.db, deps.redis, (error) => warn(error, 'hot cache rebuild failed'));
  return candidatesFromStore(deps.db, deps.redis, userId, profile, nowMs, limits);
}
