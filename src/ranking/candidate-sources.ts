/**
 * Pure candidate assembly, shared by the online path (sources read per user from Mongo) and batch scoring (sources
 * cut from per-topic and per-creator pools read once per run), so both keep and drop the same items.
 */
import type { Candidate, CreatorInfo, RankItem } from './features.js';

/** An item as a source lists it: everything but whether this user follows its creator. */
export interface SourceItem {
  item: RankItem;
  creator: CreatorInfo;
}

/** What one user's candidates depend on beyond the sources. */
export interface UserSignals {
  followed: ReadonlySet<string>;
  blockedCreators: ReadonlySet<string>;
  seenContent: ReadonlySet<string>;
  /** Content types the user opted out of (shared preferences, carried by the interest profile). */
  contentTypeOptOuts: ReadonlySet<string>;
}

/** Whether an item may be a candidate for the user at all; the rules (rules.ts) re-check blocks and seen items. */
export function isEligible(item: RankItem, user: UserSignals): boolean {
  return (
    !user.blockedCreators.has(item.creatorId) &&
    !user.seenContent.has(item.contentId) &&
    !user.contentTypeOptOuts.has(item.type)
  );
}

/** The union of the sources, first listing first, without ineligible items or repeats. */
export function assembleCandidates(sources: ReadonlyArray<readonly SourceItem[]>, user: UserSignals): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const source of sources) {
    for (const { item, creator } of source) {
      if (byId.has(item.contentId) || !isEligible(item, user)) continue;
      byId.set(item.contentId, { item, creator, followsCreator: user.followed.has(item.creatorId) });
    }
  }
  return [...byId.values()];
}

/**
 * The `limit` newest items across several newest-first lists, ties by contentId: what one sorted, limited query
 * over their union returns. Exact because every item of the union's newest `limit` is among its own list's
 * newest `limit`, which is what a pool keeps.
 */
export function newestOf(lists: ReadonlyArray<readonly SourceItem[] | undefined>, limit: number): SourceItem[] {
  const present = lists.filter((list): list is readonly SourceItem[] => list !== undefined && list.length > 0);
  if (present.length > MERGE_MAX_LISTS) return unique(present.flat()).sort(newestFirst).slice(0, limit);
  // Batch scoring calls this twice per user: merging the heads costs limit × lists, sorting the union far more.
  const heads = present.map(() => 0);
  const seen = new Set<string>();
  const out: SourceItem[] = [];
  while (out.length < limit) {
    let best = -1;
    for (let l = 0; l < present.length; l++) {
      const candidate = present[l]?.[heads[l] as number];
      const current = best === -1 ? undefined : present[best]?.[heads[best] as number];
      if (candidate && (!current || newestFirst(candidate, current) < 0)) best = l;
    }
    if (best === -1) break;
    const next = present[best]?.[heads[best] as number] as SourceItem;
    heads[best] = (heads[best] as number) + 1;
    if (seen.has(next.item.contentId)) continue;
    seen.add(next.item.contentId);
    out.push(next);
  }
  return out;
}
const MERGE_MAX_LISTS = 32;

function unique(items: readonly SourceItem[]): SourceItem[] {
  const seen = new Set<string>();
  return items.filter((entry) => !seen.has(entry.item.contentId) && seen.add(entry.item.contentId) !== undefined);
}

export function newestFirst(a: SourceItem, b: SourceItem): number {
  return (
    b.item.createdAtMs - a.item.createdAtMs ||
    (a.item.contentId < b.item.contentId ? -1 : a.item.contentId > b.item.contentId ? 1 : 0)
  );
}
