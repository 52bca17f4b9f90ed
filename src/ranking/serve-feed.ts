/**
 * What a stored feed looks like when it is served: the user's rules as they are now (a block, an item seen, an
 * opt-out since the list was ranked) applied to it, and each item with what an app shows of it. Everything here
 * comes from Redis: the user's signals and the item cache (src/cache); a stored feed is never older than its TTL.
 */
import { cachedItems, type CachedItem } from '../cache/catalog.js';
import { creatorHandles } from '../cache/creator-handles.js';
import { readProfile } from '../cache/profiles.js';
import { rebuildHotCachesInBackground } from '../cache/rebuild.js';
import { readySignals, type CachedUserSignals } from '../cache/user-signals.js';
import type { FeedEntry, StoredFeed } from '../store/feeds.js';
import { relatedUsers } from '../store/relationships.js';
import { MAX_EDGES, seenContentIds, DEFAULT_CANDIDATE_LIMITS } from './candidates.js';
import type { OnlineDeps } from './online-candidates.js';

export interface ServedItem {
  contentId: string;
  creatorId: string;
  score: number;
  /** Absent only for an item the cache does not hold (it is being rebuilt). */
  item?: { title: string; type: string; topics: string[]; createdAt: string; creatorHandle: string | null };
}

/**
 * One page of the stored list under the user's current rules (`signals`, from currentSignals at this request), with
 * item summaries, and whether more follow. The list is read only as far as the page and the next kept entry; item
 * types are looked up for the whole list only when the user opted out of any, otherwise just for the page.
 */
export async function servePage(
  deps: OnlineDeps,
  feed: StoredFeed,
  signals: CachedUserSignals,
  page: { offset: number; limit: number },
): Promise<{ items: ServedItem[]; more: boolean }> {
  const allowed = (entry: FeedEntry) =>
    !signals.blockedCreators.has(entry.creatorId) && !signals.seenContent.has(entry.contentId);
  const handlesOf = (entries: readonly FeedEntry[]) =>
    creatorHandles(
      deps,
      entries.map((entry) => entry.creatorId),
    );
  let served: { entries: FeedEntry[]; more: boolean };
  let looked: Map<string, CachedItem>;
  let handles: Map<string, string | null>;
  if (signals.contentTypeOptOuts.size > 0) {
    const kept = feed.items.filter(allowed);
    looked = await cachedItems(
      deps.redis,
      kept.map((entry) => entry.contentId),
    );
    const typeAllowed = (entry: FeedEntry) => !signals.contentTypeOptOuts.has(looked.get(entry.contentId)?.type ?? '');
    served = keptPage(kept, typeAllowed, page);
    handles = await handlesOf(served.entries);
  } else {
    // The page is known before its items are: both lookups go out together.
    served = keptPage(feed.items, allowed, page);
    [looked, handles] = await Promise.all([
      cachedItems(
        deps.redis,
        served.entries.map((entry) => entry.contentId),
      ),
      handlesOf(served.entries),
    ]);
  }
  const items = served.entries.map((entry): ServedItem => {
    const out: ServedItem = { contentId: entry.contentId, creatorId: entry.creatorId, score: entry.score };
    const item = looked.get(entry.contentId);
    if (item) out.item = summaryOf(item, handles.get(entry.creatorId) ?? null);
    return out;
  });
  return { items, more: served.more };
}

/** The `limit` entries from `offset` on among those `keep` accepts, and whether another follows them. */
function keptPage(
  entries: readonly FeedEntry[],
  keep: (entry: FeedEntry) => boolean,
  { offset, limit }: { offset: number; limit: number },
): { entries: FeedEntry[]; more: boolean } {
  const page: FeedEntry[] = [];
  let kept = 0;
  for (const entry of entries) {
    if (!keep(entry)) continue;
    if (kept === offset + limit) return { entries: page, more: true };
    if (kept >= offset) page.push(entry);
    kept++;
  }
  return { entries: page, more: false };
}

function summaryOf(item: CachedItem, creatorHandle: string | null): NonNullable<ServedItem['item']> {
  return {
    title: item.title,
    type: item.type,
    topics: item.topics,
    createdAt: new Date(item.createdAtMs).toISOString(),
    creatorHandle,
  };
}

/**
 * The rules servePage applies, as they are now. From the hot cache; while it is rebuilt, from the store by the indexes MongoDB serves these from, and the first
 * page that finds it incomplete starts the rebuild (as the online path does), so pages do not read the store for long.
 */
export async function currentSignals(deps: OnlineDeps, userId: string): Promise<CachedUserSignals> {
  const cached = await readySignals(deps.redis, userId);
  if (cached) return cached;
  const warn = deps.warn ?? (() => undefined);
  await rebuildHotCachesInBackground(deps.db, deps.redis, (error) => warn(error, 'hot cache rebuild failed'));
  const [blocks, seen, profile] = await Promise.all([
    relatedUsers(deps.db, 'block', 'from', userId, undefined, MAX_EDGES),
    seenContentIds(deps.db, userId, DEFAULT_CANDIDATE_LIMITS.seenEvents),
    readProfile(deps, userId),
  ]);
  return {
    followed: new Set(),
    blockedCreators: new Set(blocks.map((edge) => edge.to)),
    seenContent: seen,
    contentTypeOptOuts: new Set(profile?.contentTypeOptOuts ?? []),
  };
}
