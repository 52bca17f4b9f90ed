import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { findIdentity } from '../store/identities.js';
import { redisKeys } from '../store/redis-keys.js';
import { execOrThrow } from './catalog.js';

/**
 * How long a creator's handle is cached. Filled on read from the identity by _id, not written through: a rename
 * shows in feed pages within this time, which an app can live with for a display name.
 */
const HANDLE_TTL_SECONDS = 300;
/** Cached for creators without an identity, so they cost no lookup per page either. */
const NONE = '';

/** The current handle of each creator (null without an identity), from Redis, else by _id from MongoDB. */
export async function creatorHandles(
  deps: { db: Db; redis: Redis },
  creatorIds: readonly string[],
): Promise<Map<string, string | null>> {
  const ids = [...new Set(creatorIds)];
  const out = new Map<string, string | null>();
  if (ids.length === 0) return out;
  const cached = await deps.redis.mget(...ids.map((id) => redisKeys.hot.creatorHandle(id)));
  const missing = ids.filter((id, i) => {
    const value = cached[i];
    if (value === null || value === undefined) return true;
    out.set(id, value === NONE ? null : value);
    return false;
  });
  if (missing.length === 0) return out;
  const found = await Promise.all(missing.map((id) => findIdentity(deps.db, id)));
  const fill = deps.redis.pipeline();
  missing.forEach((id, i) => {
    const handle = found[i]?.handle ?? null;
    out.set(id, handle);
    fill.set(redisKeys.hot.creatorHandle(id), handle ?? NONE, 'EX', HANDLE_TTL_SECONDS);
  });
  await execOrThrow(fill);
  return out;
}
