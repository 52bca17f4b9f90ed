/**
 * Business rules applied after scoring, whichever ranker scored. Pure: the caller loads blocks, seen items and
 * creator scores. Filters run before the boost and the re-ordering so a removed item never shapes the order.
 */

export interface ScoredItem {
  contentId: string;
  creatorId: string;
  score: number;
  /** 0–100; only needed for the creator boost. */
  creatorScore?: number;
}

export interface FeedRules {
  blockedCreators: ReadonlySet<string>;
  seenContent: ReadonlySet<string>;
  /** The longest run of one creator's items allowed in a row (≥ 1). */
  maxPerCreatorInRow: number;
  /** Added to a score per 100 creator-score points (0 disables the boost). */
  creatorBoost: number;
}

/**
 * Three in a row is where a feed starts to feel like one creator's channel. The boost is a tie-breaker-sized
 * nudge towards established creators: the model already sees creator score as a feature, so a large boost
 * would count it twice and bury newcomers.
 */
export const DEFAULT_FEED_RULES: FeedRules = {
  blockedCreators: new Set(),
  seenContent: new Set(),
  maxPerCreatorInRow: 2,
  creatorBoost: 0.1,
};

export function withoutBlockedCreators<T extends ScoredItem>(items: readonly T[], blocked: ReadonlySet<string>): T[] {
  return blocked.size === 0 ? [...items] : items.filter((item) => !blocked.has(item.creatorId));
}

export function withoutSeen<T extends ScoredItem>(items: readonly T[], seen: ReadonlySet<string>): T[] {
  return seen.size === 0 ? [...items] : items.filter((item) => !seen.has(item.contentId));
}

export function withCreatorBoost<T extends ScoredItem>(items: readonly T[], weight: number): T[] {
  if (weight === 0) return [...items];
  return items.map((item) => ({ ...item, score: item.score + (weight * clampScore(item.creatorScore)) / 100 }));
}

/** Best first; ties by contentId so the same inputs always give the same feed (pages stay stable). */
export function byScore<T extends ScoredItem>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) => scoreOf(b) - scoreOf(a) || (a.contentId < b.contentId ? -1 : a.contentId > b.contentId ? 1 : 0),
  );
}

/**
 * Re-orders a best-first list so no creator has more than `maxInRow` items in a row: when the next item would
 * break the rule, the best item of another creator moves up. Items are postponed, never dropped; only when
 * every remaining item is by the same creator does the run exceed the limit.
 */
export function diversified<T extends ScoredItem>(ranked: readonly T[], maxInRow: number): T[] {
  const limit = Math.max(1, Math.floor(maxInRow) || 1);
  const taken = new Uint8Array(ranked.length);
  const out: T[] = [];
  let first = 0; // every index below is taken
  let runCreator = '';
  let runLength = 0;
  while (out.length < ranked.length) {
    while (taken[first] === 1) first++;
    let pick = first;
    if (runLength >= limit && ranked[pick]?.creatorId === runCreator) {
      pick = nextOtherCreator(ranked, taken, first + 1, runCreator) ?? first;
    }
    const item = ranked[pick] as T;
    taken[pick] = 1;
    out.push(item);
    runLength = item.creatorId === runCreator ? runLength + 1 : 1;
    runCreator = item.creatorId;
  }
  return out;
}

/** Blocked creators and seen items out, creator boost, best first, then creator diversity. */
export function applyFeedRules<T extends ScoredItem>(items: readonly T[], rules: FeedRules): T[] {
  const kept = withoutSeen(withoutBlockedCreators(items, rules.blockedCreators), rules.seenContent);
  return diversified(byScore(withCreatorBoost(kept, rules.creatorBoost)), rules.maxPerCreatorInRow);
}

function nextOtherCreator(ranked: readonly ScoredItem[], taken: Uint8Array, from: number, creator: string) {
  for (let i = from; i < ranked.length; i++) {
    if (taken[i] === 0 && ranked[i]?.creatorId !== creator) return i;
  }
  return undefined;
}

/** A NaN score (a broken model output) sinks to the bottom instead of poisoning the sort. */
function scoreOf(item: ScoredItem): number {
  return Number.isNaN(item.score) ? -Infinity : item.score;
}

function clampScore(score: number | undefined): number {
  return score !== undefined && score > 0 ? Math.min(100, score) : 0;
}
