import { createHash } from 'node:crypto';

/**
 * A stable position in [0, 1) for a key: the first 32 bits of its SHA-256. Sampling and the model traffic split
 * both bucket by user, so a user is either always in or always out, whichever API process serves them.
 */
export function bucketOf(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}
