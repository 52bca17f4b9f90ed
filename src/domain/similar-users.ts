import { compareText, cosineAgainst } from './interest-profile.js';

export interface TopicVector {
  userId: string;
  topics: Record<string, number>;
}

/** A candidate with its similarity to the user already taken (by cosineAgainst or an equal formula). */
export interface ScoredUser {
  userId: string;
  similarity: number;
}

export interface SimilarUser {
  userId: string;
  similarity: number;
  /** Positive interests both users share, strongest (by the product of both scores) first. */
  sharedTopics: string[];
}

const SHARED_TOPICS_SHOWN = 5;

/**
 * Ranks candidates by cosine similarity of their topic vectors to the user's (dislikes included: two users who both
 * hide a topic agree about it). Only positive similarity counts as similar; ties go to the user id, so the order is
 * stable. Candidates are expected to be pre-selected (see store/similar-user-candidates.ts), not the whole user base.
 */
export function rankSimilarUsers(user: TopicVector, candidates: readonly TopicVector[], limit: number): SimilarUser[] {
  const similarityTo = cosineAgainst(user.topics);
  const scored = candidates.map((c) => ({ userId: c.userId, similarity: similarityTo(c.topics), topics: c.topics }));
  return pickSimilarUsers(user, scored, limit, (c) => c.topics);
}

/**
 * The ranking of rankSimilarUsers over candidates already scored: the user left out, positive similarity only, best
 * first, ties by user id. `topicsOf` gives a kept candidate's vector (at least the topics it shares with the user),
 * asked only for the `limit` kept. Keeps the best `limit` as it goes rather than sorting every candidate: a request
 * scores up to 2,000 and shows 20.
 */
export function pickSimilarUsers<T extends ScoredUser>(
  user: TopicVector,
  scored: readonly T[],
  limit: number,
  topicsOf: (candidate: T) => Record<string, number>,
): SimilarUser[] {
  const size = Math.max(0, limit);
  const best: T[] = [];
  for (const candidate of scored) {
    if (candidate.userId === user.userId || !(candidate.similarity > 0)) continue;
    const last = best[size - 1];
    if (best.length === size && (last === undefined || bySimilarity(candidate, last) >= 0)) continue;
    // Insertion into the short sorted list; when it is full, its last is the one pushed out.
    let at = Math.min(best.length, size - 1);
    for (
      let before = best[at - 1];
      before !== undefined && bySimilarity(candidate, before) < 0;
      before = best[at - 1]
    ) {
      best[at] = before;
      at--;
    }
    best[at] = candidate;
  }
  return best.map((c) => ({
    userId: c.userId,
    similarity: c.similarity,
    sharedTopics: sharedTopics(user.topics, topicsOf(c)),
  }));
}

/** Best first, ties by user id. */
function bySimilarity(a: ScoredUser, b: ScoredUser): number {
  return b.similarity - a.similarity || compareText(a.userId, b.userId);
}

function sharedTopics(a: Record<string, number>, b: Record<string, number>): string[] {
  return Object.entries(a)
    .flatMap(([topic, x]) => {
      const y = Object.hasOwn(b, topic) ? (b[topic] ?? 0) : 0;
      return x > 0 && y > 0 ? [{ topic, weight: x * y }] : [];
    })
    .sort((p, q) => q.weight - p.weight || compareText(p.topic, q.topic))
    .slice(0, SHARED_TOPICS_SHOWN)
    .map((s) => s.topic);
}
