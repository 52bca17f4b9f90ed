import { createHash, randomUUID } from 'node:crypto';

/**
 * Every show id has one form, `sh_` and 32 hex digits, whoever creates the show. With a seed (an Idempotency-Key, a
 * Brain Mode step) the id is derived from it, so a retry names the same show and the station accepts it once.
 */
export function showId(seed?: string): string {
  if (seed === undefined) return `sh_${randomUUID().replace(/-/g, '')}`;
  return `sh_${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;
}
