import type { Redis } from 'ioredis';
import { pickSimilarUsers, type SimilarUser } from '../domain/similar-users.js';
import { redisKeys } from '../store/redis-keys.js';
import { execOrThrow, readWhenBuilt } from './catalog.js';
import { packedScorer, packVector } from './packed-vectors.js';

const keys = redisKeys.hot;

/** How many top topics a profile is listed under in the index. */
export const INDEXED_TOPICS = 10;
/** Users kept per topic, strongest interest first: enough for CANDIDATES_PER_TOPIC with room to spare. */
export const TOPIC_USERS_SIZE = 1_000;

/** A profile as the similar-users index keeps it: its whole topic vector and the top topics it is listed under. */
export interface IndexedProfile {
  userId: string;
  topics: Record<string, number>;
  topTopics: readonly string[];
}

interface StoredVector {
  topics: Record<string, number>;
  topTopics: string[];
}

/**
 * Puts profiles into the inverted index topic → users (scored by the user's interest in the topic) and stores their
 * vectors; a topic a profile no longer has among its top topics drops it. One profile's writes come from its own
 * workflow, one at a time, so reading the previous top topics first cannot race another writer of the same user.
 */
export async function indexProfiles(redis: Redis, profiles: readonly IndexedProfile[]): Promise<void> {
  if (profiles.length === 0) return;
  const previous = await redis.hmget(keys.topicVectors, ...profiles.map((p) => p.userId));
  const tx = redis.pipeline();
  const touched = new Set<string>();
  profiles.forEach((profile, i) => {
    const before = previous[i] ? (JSON.parse(previous[i] as string) as StoredVector).topTopics : [];
    for (const topic of before) if (!profile.topTopics.includes(topic)) tx.zrem(keys.topicUsers(topic), profile.userId);
    for (const topic of profile.topTopics) {
      tx.zadd(keys.topicUsers(topic), profile.topics[topic] ?? 0, profile.userId);
      touched.add(topic);
    }
    const stored: StoredVector = { topics: profile.topics, topTopics: [...profile.topTopics] };
    tx.hset(keys.topicVectors, profile.userId, JSON.stringify(stored));
    tx.hset(keys.packedVectors, profile.userId, packVector(profile.topics));
  });
  for (const topic of touched) tx.zremrangebyrank(keys.topicUsers(topic), 0, -(TOPIC_USERS_SIZE + 1));
  await execOrThrow(tx);
}

/**
 * Whether the hot structures are complete (see readWhenBuilt) and, when they are, the user's indexed vector (null
 * when the user has no profile in the index).
 */
export async function readyIndexedVector(
  redis: Redis,
  userId: string,
): Promise<{ ready: false } | { ready: true; own: IndexedProfile | null }> {
  const replies = await readWhenBuilt(redis, () => [redis.hget(keys.topicVectors, userId)] as const);
  return replies ? { ready: true, own: vectorOf(userId, replies[0]) } : { ready: false };
}

function vectorOf(userId: string, raw: string | null | undefined): IndexedProfile | null {
  if (!raw) return null;
  const stored = JSON.parse(raw) as StoredVector;
  return { userId, topics: stored.topics, topTopics: stored.topTopics };
}

/**
 * Similar users from the index: the `perTopic` users most interested in each of the user's indexed topics (one
 * bounded list per topic, so a popular topic cannot crowd the rarer, more telling ones out), scored by the cosine of
 * their packed vectors to `own` and ranked as rankSimilarUsers ranks.
 */
export async function similarUsersFromIndex(
  redis: Redis,
  own: IndexedProfile,
  perTopic: number,
  limit: number,
): Promise<SimilarUser[]> {
  if (own.topTopics.length === 0) return [];
  // One more than asked, since the user is in the lists of their own topics.
  const lists = await Promise.all(own.topTopics.map((topic) => redis.zrevrange(keys.topicUsers(topic), 0, perTopic)));
  const users = [...new Set(lists.flatMap((list) => list.filter((id) => id !== own.userId).slice(0, perTopic)))];
  if (users.length === 0) return [];
  const vectors = await redis.hmgetBuffer(keys.packedVectors, ...users);
  const scorer = packedScorer(own.topics);
  const scored = users.flatMap((userId, i) => {
    const packed = vectors[i];
    return packed ? [{ userId, similarity: scorer.similarity(packed), packed }] : [];
  });
  return pickSimilarUsers(own, scored, limit, (c) => scorer.shared(c.packed));
}
