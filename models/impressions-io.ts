/**
 * Impressions in the dataset: which items a session's user was shown and passed over. Position bias is handled by
 * the skip-above rule (Joachims et al.): only items shown ABOVE the deepest item the user engaged with on that
 * page count as negatives, since the user scrolled past them; items below may never have been looked at, so
 * they are left out rather than called irrelevant. (The joined feedback rows also carry inverse-propensity
 * weights; see docs/learning-loop.md.)
 */
import type { CatalogItem } from './dataset-io.js';
import { readJsonLines } from './dataset-io.js';
import type { Session } from './sessions.js';

export interface ShownPage {
  atMs: number;
  items: { contentId: string; position: number }[];
}

/** impressions.jsonl (models/export-store.ts) → each user's pages in time order. */
export function readImpressions(path: string): Map<string, ShownPage[]> {
  const byUser = new Map<string, ShownPage[]>();
  for (const doc of readJsonLines(path)) {
    const userId = typeof doc.userId === 'string' ? doc.userId : null;
    const atMs = Date.parse(String((doc.at as { $date?: string } | undefined)?.$date ?? doc.at));
    if (!userId || !Number.isFinite(atMs) || !Array.isArray(doc.items)) continue;
    const pages = byUser.get(userId) ?? [];
    pages.push({ atMs, items: doc.items as ShownPage['items'] });
    byUser.set(userId, pages);
  }
  for (const pages of byUser.values()) pages.sort((a, b) => a.atMs - b.atMs);
  return byUser;
}

/** Items shown on the session's pages (from `leadMs` before it began to its end) above the deepest engaged one. */
export function skippedAbove(
  session: Session,
  pages: readonly ShownPage[] | undefined,
  catalog: ReadonlyMap<string, CatalogItem>,
  leadMs: number,
): CatalogItem[] {
  if (!pages) return [];
  const engaged = new Set(session.items.filter((i) => i.label > 0).map((i) => i.item.contentId));
  const skipped: CatalogItem[] = [];
  for (const page of pages) {
    if (page.atMs < session.startMs - leadMs || page.atMs > session.endMs) continue;
    const deepest = Math.max(-1, ...page.items.filter((i) => engaged.has(i.contentId)).map((i) => i.position));
    for (const shown of page.items) {
      const item = catalog.get(shown.contentId);
      if (item && shown.position < deepest && !engaged.has(shown.contentId)) skipped.push(item);
    }
  }
  return skipped;
}
