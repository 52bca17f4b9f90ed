/**
 * The data of bench/volume.ts, written straight into MongoDB as the read models and logs the workflows would
 * leave (not through them): users with interest profiles, a catalog, follows and blocks, and engagement events.
 * Seeded, so every run loads the same platform.
 */
import type { Db } from 'mongodb';
import { CONTENT_TYPES } from '../src/domain/engagement.js';
import { emptyProfile, topTopics } from '../src/domain/interest-profile.js';
import { INDEXED_TOPICS } from '../src/cache/similar-users.js';
import { contentCollection, type ContentDoc } from '../src/store/content.js';
import { eventsCollection, type EventDoc } from '../src/store/events.js';
import { interestProfilesCollection, type InterestProfileDoc } from '../src/store/interest-profiles.js';
import { relationshipsCollection, type RelationshipDoc } from '../src/store/relationships.js';

export interface VolumeSize {
  users: number;
  items: number;
  events: number;
}

const HOUR = 3_600_000;
const TOPIC_COUNT = 500;
const CREATOR_SHARE = 50; // one user in 50 publishes
const FOLLOWS_PER_USER = 10;
const BATCH = 2_000;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export const userId = (u: number) => `u${String(u).padStart(7, '0')}`;
const topic = (t: number) => `topic-${t}`;

/** Writes the platform in batches; `progress` hears each collection's count as it goes. */
export async function loadVolume(
  db: Db,
  size: VolumeSize,
  nowMs: number,
  progress: (what: string, done: number, total: number) => void,
): Promise<void> {
  const random = seeded(7);
  const creators = Math.max(1, Math.floor(size.users / CREATOR_SHARE));
  // Each user leans to a few topics; items and engagements follow those leanings, so similar users exist.
  const leaning = (u: number) => [0, 1, 2].map((k) => topic((u * 7 + k * 131) % TOPIC_COUNT));

  const items: ContentDoc[] = [];
  for (let i = 0; i < size.items; i++) {
    const creator = i % creators;
    const topics = [...new Set([...leaning(creator * CREATOR_SHARE).slice(0, 2), topic(Math.floor(random() * TOPIC_COUNT))])]; // prettier-ignore
    items.push({
      _id: `item-${i}`,
      creatorId: userId(creator * CREATOR_SHARE),
      title: `${topics[0]} item ${i}`,
      description: '',
      tags: topics,
      type: CONTENT_TYPES[i % CONTENT_TYPES.length] as ContentDoc['type'],
      topics,
      createdAt: new Date(nowMs - Math.floor(random() * 20 * 24) * HOUR),
    });
  }
  await inBatches(
    items,
    (batch) => contentCollection(db).insertMany(batch, { ordered: false }),
    (n) => progress('content', n, items.length),
  );
  const itemsByTopic = new Map<string, number[]>();
  items.forEach((item, i) => item.topics.forEach((t) => itemsByTopic.set(t, [...(itemsByTopic.get(t) ?? []), i])));

  const edges: RelationshipDoc[] = [];
  for (let u = 0; u < size.users; u++) {
    const from = userId(u);
    for (let k = 0; k < FOLLOWS_PER_USER; k++) {
      const to = userId(Math.floor(random() * creators) * CREATOR_SHARE);
      if (to !== from)
        edges.push({ _id: `follow:${from}:${to}`, from, to, kind: 'follow', createdAt: new Date(nowMs) });
    }
    if (u % 20 === 3) {
      const to = userId(Math.floor(random() * creators) * CREATOR_SHARE);
      if (to !== from) edges.push({ _id: `block:${from}:${to}`, from, to, kind: 'block', createdAt: new Date(nowMs) });
    }
  }
  const unique = [...new Map(edges.map((e) => [e._id, e])).values()];
  await inBatches(
    unique,
    (batch) => relationshipsCollection(db).insertMany(batch, { ordered: false }),
    (n) => progress('relationships', n, unique.length),
  );

  const perUser = Math.max(1, Math.floor(size.events / size.users));
  let events: EventDoc[] = [];
  let profiles: InterestProfileDoc[] = [];
  let written = 0;
  const flush = async (force: boolean) => {
    if (events.length >= BATCH || (force && events.length > 0)) {
      await eventsCollection(db).insertMany(events, { ordered: false });
      written += events.length;
      events = [];
      progress('events', written, perUser * size.users);
    }
    if (profiles.length >= BATCH || (force && profiles.length > 0)) {
      await interestProfilesCollection(db).insertMany(profiles, { ordered: false });
      profiles = [];
    }
  };
  for (let u = 0; u < size.users; u++) {
    const profile = emptyProfile(userId(u), nowMs);
    for (let e = 0; e < perUser; e++) {
      const pool = itemsByTopic.get(leaning(u)[e % 3] as string) ?? [0];
      const item = items[pool[Math.floor(random() * pool.length)] as number] as ContentDoc;
      const type = random() < 0.7 ? 'view' : random() < 0.8 ? 'like' : 'share';
      events.push({
        _id: `${userId(u)}-e${e}`,
        userId: userId(u),
        type,
        contentId: item._id,
        creatorId: item.creatorId,
        occurredAt: new Date(nowMs - Math.floor(random() * 48) * HOUR),
        receivedAt: new Date(nowMs),
        batchId: `load-${u}`,
      });
      for (const t of item.topics) profile.topics[t] = (profile.topics[t] ?? 0) + (type === 'view' ? 1 : 3);
    }
    profiles.push({
      ...profile,
      appliedEvents: perUser,
      lastEventAtMs: nowMs,
      _id: profile.userId,
      topTopics: topTopics(profile, INDEXED_TOPICS).map((t) => t.topic),
      savedAt: new Date(nowMs),
    });
    await flush(false);
  }
  await flush(true);
}

async function inBatches<T>(docs: T[], write: (batch: T[]) => Promise<unknown>, done: (n: number) => void) {
  for (let i = 0; i < docs.length; i += BATCH) {
    await write(docs.slice(i, i + BATCH));
    done(Math.min(docs.length, i + BATCH));
  }
}
