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
