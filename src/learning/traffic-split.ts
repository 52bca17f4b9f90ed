import type { ModelArm } from '../impressions/impression.js';
import { bucketOf } from './buckets.js';

/**
 * The A/B split between the current and the candidate model: a user whose bucket falls below `candidateShare`
 * sees the candidate. Keyed by user and a salt (MODEL_SPLIT_SALT), so a user keeps their arm across requests and
 * processes; a new salt reshuffles users for the next experiment.
 */
export function assignArm(userId: string, candidateShare: number, salt: string): ModelArm {
  if (candidateShare <= 0) return 'current';
  return bucketOf(`${salt}:${userId}`) < candidateShare ? 'candidate' : 'current';
}
