import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import type { InterestProfile } from '../domain/interest-profile.js';
import { loadInterestProfile } from '../store/interest-profiles.js';
import { redisKeys } from '../store/redis-keys.js';
import { execOrThrow } from './catalog.js';

const keys = redisKeys.hot;

/**
 * Caches whole profiles, kept without expiry: while the hot structures are complete, a profile missing here is a
 * profile that does not exist, so no request reads it from the document store. `onlyIfAbsent` is for the rebuild:
 * a profile its scan read may be older than one the writer cached meanwhile, and must not replace it.
 */
export async function cacheProfiles(
  redis: Redis,
  profiles: readonly InterestProfile[],
  options: { onlyIfAbsent?: boolean } = {},
): Promise<void> {
  if (profiles.length === 0) return;
  const tx = redis.pipeline();
  for (const profile of profiles) {
    const value = JSON.stringify(profile);
    if (options.onlyIfAbsent) tx.set(keys.profile(profile.userId), value, 'NX');
    else tx.set(keys.profile(profile.userId), value);
  }
  await execOrThrow(tx);
}

/**
 * A user's profile from the hot cache; null when the cache is complete and holds none. While the cache is not
 * complete (or Redis is down), from MongoDB by _id.
 */
export async function readProfile(
  { db, redis }: { db: Db; redis: Redis },
  userId: string,
): Promise<InterestProfile | null> {
  const [cached, built] = await redis.mget(keys.profile(userId), keys.built).catch(() => [null, null]);
  if (cached) return JSON.parse(cached) as InterestProfile;
  if (built) return null;
  return loadInterestProfile(db, userId);
}
