import type { Collection, Db } from 'mongodb';
import type { CreatorStats } from '../domain/creator-score.js';
import { replaceGuarded } from './bulk.js';

/**
 * The read model of a creator's stats, written (debounced) by the creator-stats workflow's activity. It holds the
 * whole bounded state, so a workflow that completed when idle restores from it and leaderboards rebuild from it.
 */
export interface CreatorStatsDoc {
  _id: string;
  stats: CreatorStats;
  /** The workflow's change counter: only grows, so it orders retried and late writes. */
  revision: number;
  updatedAt: Date;
  /**
   * The metric part ids a workflow run had applied when it completed (idle), written by its last publish, so a part
   * the relay delivers again after that is dropped by the next run too. Absent while a run is open.
   */
  completedRunPartIds?: string[];
}

export function creatorStatsCollection(db: Db): Collection<CreatorStatsDoc> {
  return db.collection<CreatorStatsDoc>('creator_stats');
}

export async function ensureCreatorStatsIndexes(db: Db): Promise<void> {
  // _id (the creatorId) serves both the read API and the paged rebuild; no other access path exists yet.
  await creatorStatsCollection(db).createIndex({ updatedAt: -1 });
}

/**
 * Writes each unless a newer revision is stored, in unordered bulk calls (see bulk.ts's replaceGuarded); says for
 * each whether it wrote, so derived data follows only fresh writes.
 */
export function saveCreatorStatsMany(db: Db, docs: readonly CreatorStatsDoc[]): Promise<boolean[]> {
  const entries = docs.map((doc) => ({ doc, newerThanStored: { revision: { $lte: doc.revision } } }));
  return replaceGuarded(creatorStatsCollection(db), entries);
}

export function loadCreatorStats(db: Db, creatorId: string): Promise<CreatorStatsDoc | null> {
  return creatorStatsCollection(db).findOne({ _id: creatorId });
}

/** Every creator in _id order, a page at a time (the leaderboard rebuild). */
export async function* allCreatorStats(db: Db, pageSize = 500): AsyncGenerator<CreatorStatsDoc> {
  let after: string | null = null;
  for (;;) {
    const filter: { _id?: { $gt: string } } = after === null ? {} : { _id: { $gt: after } };
    const page = await creatorStatsCollection(db).find(filter).sort({ _id: 1 }).limit(pageSize).toArray();
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]?._id ?? null;
  }
}
