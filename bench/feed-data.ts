/** Synthetic users and candidates for bench/feed.ts, seeded so every run ranks the same lists. */
import { CONTENT_TYPES } from '../src/domain/engagement.js';
import { CREATOR_TIERS } from '../src/domain/creator-tier.js';
import type { InterestProfile } from '../src/domain/interest-profile.js';
import type { Candidate } from '../src/ranking/features.js';

const HOUR = 3_600_000;
const TOPICS = Array.from({ length: 200 }, (_, i) => `topic-${i}`);

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export function benchProfile(userId: string, seed = userId.length * 7919): InterestProfile {
  const random = seeded(seed);
  const nowMs = Date.now();
  return {
    userId,
    topics: Object.fromEntries(TOPICS.slice(0, 50).map((t) => [t, random() * 10 - 1])),
    contentTypes: Object.fromEntries(CONTENT_TYPES.map((t) => [t, random() * 5])) as InterestProfile['contentTypes'],
    eventCounts: { view: 300, like: 40, share: 5, comment: 8, tip: 1, follow: 3, skip: 90, hide: 2, report: 0, watch_time: 250 }, // prettier-ignore
    hours: Array.from({ length: 24 }, () => random() * 10),
    updatedAtMs: nowMs,
    lastEventAtMs: nowMs,
    appliedEvents: 700,
  };
}

export function benchCandidates(count: number, seed: number): Candidate[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const nowMs = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    item: {
      contentId: `content-${seed}-${i}`,
      creatorId: `creator-${Math.floor(random() * 150)}`,
      type: pick(CONTENT_TYPES),
      topics: [pick(TOPICS), pick(TOPICS), pick(TOPICS.slice(0, 60))],
      createdAtMs: nowMs - random() * 14 * 24 * HOUR,
      popularity: { views: Math.floor(random() * 1e5), likes: Math.floor(random() * 5e3), shares: 40, comments: 90 },
    },
    creator: { score: random() * 100, tier: pick(CREATOR_TIERS) },
    followsCreator: random() < 0.1,
  }));
}

/**
 * A small platform in MongoDB for the end-to-end batch figure: a 2,000-item catalog over 150 creators and 200
 * topics, and per user an interest profile (1 in 10 opted out of live content), 5 follows, 5 engagements and,
 * for 1 in 10, a block. Enough that every per-user read returns something; far from a production-sized graph.
 */
export function benchPlatform(users: number, nowMs: number) {
  const random = seeded(42);
  const userId = (u: number) => `bench-u${String(u).padStart(6, '0')}`;
  const content = Array.from({ length: 2_000 }, (_, i) => ({
    _id: `c-${i}`,
    creatorId: `creator-${i % 150}`,
    title: '',
    description: '',
    tags: [],
    type: CONTENT_TYPES[i % CONTENT_TYPES.length] as (typeof CONTENT_TYPES)[number],
    topics: [`topic-${i % 200}`, `topic-${(i * 7) % 60}`],
    createdAt: new Date(nowMs - (i % 500) * HOUR),
  }));
  const profiles = Array.from({ length: users }, (_, u) => {
    const profile = benchProfile(userId(u), u + 1);
    const top = Object.entries(profile.topics)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([t]) => t);
    const optOuts = u % 10 === 0 ? { contentTypeOptOuts: ['live' as const] } : {};
    return { ...profile, ...optOuts, _id: userId(u), topTopics: top, savedAt: new Date(nowMs) };
  });
  const edges = profiles.flatMap((p, u) => {
    const follows = Array.from({ length: 5 }, () => `creator-${Math.floor(random() * 150)}`);
    const blocks = u % 10 === 3 ? [`creator-${Math.floor(random() * 150)}`] : [];
    return [
      ...[...new Set(follows)].map((to) => ({ kind: 'follow' as const, from: p._id, to })),
      ...blocks.map((to) => ({ kind: 'block' as const, from: p._id, to })),
    ].map((e) => ({ _id: `${e.kind}:${e.from}:${e.to}`, ...e, createdAt: new Date(nowMs) }));
  });
  const events = profiles.flatMap((p) =>
    Array.from({ length: 5 }, (_, e) => ({
      _id: `${p._id}-e${e}`,
      userId: p._id,
      type: 'view' as const,
      contentId: `c-${Math.floor(random() * 2_000)}`,
      occurredAt: new Date(nowMs - e * HOUR),
      receivedAt: new Date(nowMs),
      batchId: 'bench',
    })),
  );
  return { userId, content, profiles, edges, events };
}
