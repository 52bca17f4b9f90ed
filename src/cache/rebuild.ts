import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { topTopics } from '../domain/interest-profile.js';
import { contentCollection } from '../store/content.js';
import { refreshContentPopularity } from '../store/content-popularity.js';
import { eventsCollection } from '../store/events.js';
import { identitiesCollection } from '../store/identities.js';
import { interestProfilesCollection, profileOf } from '../store/interest-profiles.js';
import { rebuildLeaderboards } from '../store/leaderboards.js';
import { redisKeys } from '../store/redis-keys.js';
import { everyRelationship } from '../store/relationships.js';
import { cacheCatalogItems, cachedItemOf, execOrThrow, readWhenBuilt, type CachedItem } from './catalog.js';
import { cacheProfiles } from './profiles.js';
import { indexProfiles, INDEXED_TOPICS, type IndexedProfile } from './similar-users.js';
import { cacheEdges, cacheOptOuts, recordSeen } from './user-signals.js';

const keys = redisKeys.hot;
/** Documents per Redis pipeline while rebuilding. */
const CHUNK = 2_000;

export interface RebuildCounts {
  items: number;
  edges: number;
  events: number;
  profiles: number;
  optOuts: number;
  creators: number;
  popularItems: number;
  ms: number;
}

/**
 * Rebuilds every hot structure from MongoDB, the source of truth. The marker goes first, so readers fall back to
 * MongoDB (correct, slower) until the rebuild has finished; old hot keys are dropped, so a follow or block removed
 * while Redis kept an old copy does not survive. Write-through updates made during the rebuild land as usual; an
 * edge removed during the rebuild may come back from the scan, until its next change (see src/cache/README.md).
 */
export async function rebuildHotCaches(db: Db, redis: Redis, nowMs: number): Promise<RebuildCounts> {
  const started = Date.now();
  await redis.del(keys.built);
  await dropHotKeys(redis);

  let items = 0;
  await inChunks(contentCollection(db).find({}, { projection: { description: 0, tags: 0 } }), async (docs) => {
    items += docs.length;
    await cacheCatalogItems(redis, docs.map(cachedItemOf) satisfies CachedItem[]);
  });

  let edges = 0;
  await inChunks(everyRelationship(db), async (chunk) => {
    edges += chunk.length;
    await cacheEdges(redis, chunk);
  });

  let events = 0;
  await inChunks(
    eventsCollection(db).find(
      { contentId: { $exists: true } },
      { projection: { _id: 0, userId: 1, contentId: 1, occurredAt: 1 } },
    ),
    async (chunk) => {
      events += chunk.length;
      await recordSeen(redis, chunk);
    },
  );

  let profiles = 0;
  await inChunks(interestProfilesCollection(db).find({}, { projection: { appliedEventIds: 0 } }), async (docs) => {
    profiles += docs.length;
    await cacheProfiles(redis, docs.map(profileOf), { onlyIfAbsent: true });
    const indexed: IndexedProfile[] = docs.map((doc) => ({
      userId: doc._id,
      topics: doc.topics,
      topTopics: topTopics(doc, INDEXED_TOPICS).map((t) => t.topic),
    }));
    await indexProfiles(redis, indexed);
  });

  let optOuts = 0;
  await inChunks(identitiesCollection(db).find({}, { projection: { shared: 1 } }), async (docs) => {
    for (const doc of docs) {
      if (!doc.shared?.contentTypeOptOuts?.length) continue;
      optOuts++;
      await cacheOptOuts(redis, doc._id, doc.shared.contentTypeOptOuts);
    }
  });

  const [boards, popularity] = await Promise.all([
    rebuildLeaderboards(db, redis, nowMs),
    refreshContentPopularity(db, redis, nowMs),
  ]);
  await redis.set(keys.built, String(nowMs));
  return {
    items,
    edges,
    events,
    profiles,
    optOuts,
    creators: boards.creators,
    popularItems: popularity.items,
    ms: Date.now() - started,
  };
}

async function inChunks<T>(source: AsyncIterable<T>, write: (chunk: T[]) => Promise<void>): Promise<void> {
  let chunk: T[] = [];
  for await (const doc of source) {
    chunk.push(doc);
    if (chunk.length >= CHUNK) {
      await write(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await write(chunk);
}

async function dropHotKeys(redis: Redis): Promise<void> {
  // SCAN matches raw keys, so the client's prefix goes into the pattern and comes off the replies.
  const prefix = (redis.options.keyPrefix as string | undefined) ?? '';
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}hot:*`, 'COUNT', 1_000);
    cursor = next;
    const own = found.map((key) => key.slice(prefix.length)).filter((key) => key !== keys.rebuildLock);
    if (own.length > 0) await execOrThrow(redis.pipeline().unlink(...own));
  } while (cursor !== '0');
}

/**
 * Whether the hot structures are complete; false while Redis is empty, rebuilding or unreachable. Asked on every
 * request (one EXISTS, well under a millisecond): a remembered answer would have readers take emptied structures
 * for complete ones right after Redis lost its data or a rebuild began.
 */
export async function hotCachesReady(redis: Redis): Promise<boolean> {
  return (await readWhenBuilt(redis, () => [] as const)) !== null;
}

/** A rebuild holds this lock for at most this long; one that dies frees it by expiry. */
const LOCK_SECONDS = 15 * 60;

/**
 * Takes the rebuild lock (one rebuild at a time, across API processes and the ops CLI). Resolves to the holder's
 * token, to give back to releaseRebuildLock, or null while another holds it.
 */
export async function takeRebuildLock(redis: Redis): Promise<string | null> {
  const token = `${process.pid}:${randomUUID()}`;
  const taken = await redis.set(keys.rebuildLock, token, 'EX', LOCK_SECONDS, 'NX');
  return taken === 'OK' ? token : null;
}

/** Frees the lock if `token` still holds it: a rebuild that outlived its lock must not free a newer holder's. */
export async function releaseRebuildLock(redis: Redis, token: string): Promise<void> {
  await redis.eval(
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
    1,
    keys.rebuildLock,
    token,
  );
}

/**
 * A rebuild under the lock, for an operator who asked for one: waits up to `waitMs` for a running rebuild to end,
 * then rebuilds. Resolves to null if the lock stayed taken, so two rebuilds never interleave.
 */
export async function rebuildHotCachesUnderLock(db: Db, redis: Redis, waitMs: number): Promise<RebuildCounts | null> {
  const deadline = Date.now() + waitMs;
  let token = await takeRebuildLock(redis);
  while (token === null && Date.now() < deadline) {
    await setTimeout(LOCK_POLL_MS);
    token = await takeRebuildLock(redis);
  }
  if (token === null) return null;
  try {
    return await rebuildHotCaches(db, redis, Date.now());
  } finally {
    await releaseRebuildLock(redis, token);
  }
}

const LOCK_POLL_MS = 100;

/**
 * Starts a rebuild in the background unless one runs (in any process), for request paths that found the marker
 * missing; they serve from MongoDB meanwhile. Resolves when the attempt has been started or declined.
 */
export async function rebuildHotCachesInBackground(
  db: Db,
  redis: Redis,
  onError: (error: unknown) => void,
): Promise<boolean> {
  // Redis unreachable: no rebuild could run anyway, and readers keep falling back to MongoDB.
  const token = await takeRebuildLock(redis).catch(() => null);
  if (token === null) return false;
  void rebuildHotCaches(db, redis, Date.now())
    .catch(onError)
    .finally(() => releaseRebuildLock(redis, token).catch(onError));
  return true;
}
