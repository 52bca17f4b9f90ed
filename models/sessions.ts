/** Sessions and their labels, and the rows of one query. */
import { GAIN_OF } from '../src/learning/labels.js';
import type { CatalogItem, PlatformEvent } from './dataset-io.js';
import type { Random } from './sim-random.js';

/** The strongest reaction to an item decides its label; skips, hides and reports are explicit 0s. */
export const LABEL_OF = GAIN_OF;

export interface Session {
  userId: string;
  startMs: number;
  /** The time of the session's last event. */
  endMs: number;
  /** Items in the order the user reached them, each with its label. */
  items: { item: CatalogItem; label: number }[];
}

export interface QueryRow {
  item: CatalogItem;
  label: number;
  /** Items of the same creator above this one in the list (the diversity feature). */
  shownAbove: number;
}

/** Events (in time order) grouped per user into sessions split by gaps longer than `gapMs`. */
export function sessionize(events: readonly PlatformEvent[], catalog: ReadonlyMap<string, CatalogItem>, gapMs: number) {
  const open = new Map<string, { session: Session; lastMs: number; index: Map<string, number> }>();
  const sessions: Session[] = [];
  for (const event of events) {
    const item = event.contentId === null ? undefined : catalog.get(event.contentId);
    if (!item) continue;
    let current = open.get(event.userId);
    if (!current || event.occurredAtMs - current.lastMs > gapMs) {
      current = {
        session: { userId: event.userId, startMs: event.occurredAtMs, endMs: event.occurredAtMs, items: [] },
        lastMs: 0,
        index: new Map(),
      };
      open.set(event.userId, current);
      sessions.push(current.session);
    }
    current.lastMs = event.occurredAtMs;
    current.session.endMs = event.occurredAtMs;
    const at = current.index.get(item.contentId);
    const label = LABEL_OF[event.type];
    if (at === undefined) {
      current.index.set(item.contentId, current.session.items.length);
      current.session.items.push({ item, label });
    } else {
      const entry = current.session.items[at];
      if (entry) entry.label = Math.max(entry.label, label);
    }
  }
  return sessions;
}

/**
 * The session's items in order, plus `negatives` unseen items released before the session, each placed at a
 * random point of the list for its shownAbove count (always 0 would tell the model "sampled" apart from
 * "shown"). Rows are shuffled so that ties in a baseline's scores cannot favour the logged items.
 * `shownSkipped` (from impressions: items the user was shown and passed over) fill the negatives first: they are
 * true negatives, where a sampled item may simply never have been seen.
 */
export function queryRows(
  session: Session,
  released: readonly CatalogItem[],
  isExcluded: (item: CatalogItem) => boolean,
  negatives: number,
  rng: Random,
  shownSkipped: readonly CatalogItem[] = [],
): QueryRow[] {
  const rows: QueryRow[] = session.items.map(({ item, label }, position) => ({
    item,
    label,
    shownAbove: countCreator(session, position, item.creatorId),
  }));
  const taken = new Set(session.items.map(({ item }) => item.contentId));
  for (const item of shownSkipped) {
    if (taken.has(item.contentId) || rows.length - session.items.length >= negatives) continue;
    taken.add(item.contentId);
    rows.push({ item, label: 0, shownAbove: countCreator(session, rng.int(session.items.length + 1), item.creatorId) });
  }
  for (let tries = 0; rows.length - session.items.length < negatives && tries < negatives * 20; tries++) {
    const item = released[rng.int(released.length)];
    if (!item || taken.has(item.contentId) || isExcluded(item)) continue;
    taken.add(item.contentId);
    rows.push({ item, label: 0, shownAbove: countCreator(session, rng.int(session.items.length + 1), item.creatorId) });
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j] as QueryRow, rows[i] as QueryRow];
  }
  return rows;
}

function countCreator(session: Session, before: number, creatorId: string): number {
  let count = 0;
  for (let i = 0; i < before; i++) if (session.items[i]?.item.creatorId === creatorId) count++;
  return count;
}
