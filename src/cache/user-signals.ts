import type { Redis } from 'ioredis';
import type { ContentType } from '../domain/engagement.js';
import type { RelationshipKind } from '../store/relationships.js';
import { redisKeys } from '../store/redis-keys.js';
import { execOrThrow, readWhenBuilt } from './catalog.js';

const keys = redisKeys.hot;

/** Items per user that count as seen: the newest engagements, as the online feed always defined "seen". */
export const SEEN_SIZE = 500;

const graphKey = (kind: RelationshipKind, userId: string) =>
  kind === 'follow' ? keys.follows(userId) : keys.blocks(userId);

/** Mirrors one follow/block edge after the store changed it (present: added; otherwise removed). */
export async function cacheEdge(
  redis: Redis,
  kind: RelationshipKind,
  from: string,
  to: string,
  present: boolean,
): Promise<void> {
  await (present ? redis.sadd(graphKey(kind, from), to) : redis.srem(graphKey(kind, from), to));
}

export async function cacheEdges(
  redis: Redis,
  edges: ReadonlyArray<{ kind: RelationshipKind; from: string; to: string }>,
): Promise<void> {
  if (edges.length === 0) return;
  const tx = redis.pipeline();
  for (const edge of edges) tx.sadd(graphKey(edge.kind, edge.from), edge.to);
  await execOrThrow(tx);
}

/** Records engagements with items as seen, keeping each user's newest SEEN_SIZE. */
export async function recordSeen(
  redis: Redis,
  events: ReadonlyArray<{ userId: string; contentId?: string | undefined; occurredAt: Date }>,
): Promise<void> {
  const withItems = events.filter((event) => event.contentId !== undefined);
  if (withItems.length === 0) return;
  const tx = redis.pipeline();
  const users = new Set<string>();
  for (const event of withItems) {
    // GT: an older event (a late or replayed one) never makes an item look older than its newest engagement.
    tx.zadd(keys.seen(event.userId), 'GT', event.occurredAt.getTime(), event.contentId as string);
    users.add(event.userId);
  }
  for (const user of users) tx.zremrangebyrank(keys.seen(user), 0, -(SEEN_SIZE + 1));
  await execOrThrow(tx);
}

/** Replaces the user's opt-outs (PUT preferences and the rebuild). */
export async function cacheOptOuts(redis: Redis, userId: string, optOuts: readonly ContentType[]): Promise<void> {
  const tx = redis.multi().del(keys.optOuts(userId));
  if (optOuts.length > 0) tx.sadd(keys.optOuts(userId), ...optOuts);
  await execOrThrow(tx);
}

/** What the feed rules need of one user, read in one round trip. */
export interface CachedUserSignals {
  followed: Set<string>;
  blockedCreators: Set<string>;
  seenContent: Set<string>;
  contentTypeOptOuts: Set<string>;
}

export async function cachedUserSignals(redis: Redis, userId: string): Promise<CachedUserSignals> {
  return signalsOf(await Promise.all(signalReads(redis, userId)));
}

/** The user's signals when the hot structures are complete, else null (see readWhenBuilt). */
export async function readySignals(redis: Redis, userId: string): Promise<CachedUserSignals | null> {
  const replies = await readWhenBuilt(redis, () => signalReads(redis, userId));
  return replies ? signalsOf(replies) : null;
}

/** Sent together, so they cost one round trip (see readWhenBuilt). */
function signalReads(redis: Redis, userId: string) {
  return [
    redis.smembers(keys.follows(userId)),
    redis.smembers(keys.blocks(userId)),
    redis.zrange(keys.seen(userId), 0, -1),
    redis.smembers(keys.optOuts(userId)),
  ] as const;
}

function signalsOf([follows, blocks, seen, optOuts]: readonly string[][]): CachedUserSignals {
  return {
    followed: new Set(follows),
    blockedCreators: new Set(blocks),
    seenContent: new Set(seen),
    contentTypeOptOuts: new Set(optOuts),
  };
}
