import type { Collection, Db } from 'mongodb';
import type { CreatorSnapshot } from '../domain/creator-score.js';
import { DUPLICATE_KEY } from './mongo-errors.js';

/** One document per creator per UTC day, written by the creator-stats workflow at 00:00 UTC. */
export interface CreatorSnapshotDoc extends CreatorSnapshot {
  _id: string;
  creatorId: string;
  writtenAt: Date;
}

export function creatorSnapshotsCollection(db: Db): Collection<CreatorSnapshotDoc> {
  return db.collection<CreatorSnapshotDoc>('creator_snapshots');
}

export async function ensureCreatorSnapshotIndexes(db: Db): Promise<void> {
  // The invariant "one snapshot per creator and day" lives in the database, not in the activity's good behaviour.
  await creatorSnapshotsCollection(db).createIndex({ creatorId: 1, day: 1 }, { unique: true });
}

/**
 * Inserts the day's snapshot once. A retried activity (the first attempt wrote, then timed out) or a replayed
 * workflow hits the unique index and is told `false`; the first snapshot of a day is the one that stays.
 */
export async function insertCreatorSnapshot(
  db: Db,
  creatorId: string,
  snapshot: CreatorSnapshot,
  now: Date,
): Promise<boolean> {
  try {
    await creatorSnapshotsCollection(db).insertOne({
      ...snapshot,
      _id: `${creatorId}:${snapshot.day}`,
      creatorId,
      writtenAt: now,
    });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
    throw error;
  }
}

/** Snapshots with from ≤ day ≤ to, oldest first, after the `afterDay` cursor position. */
export function creatorSnapshots(
  db: Db,
  creatorId: string,
  range: { from: string; to: string; afterDay?: string },
  limit: number,
): Promise<CreatorSnapshotDoc[]> {
  const lower =
    range.afterDay !== undefined && range.afterDay >= range.from ? { $gt: range.afterDay } : { $gte: range.from };
  return creatorSnapshotsCollection(db)
    .find({ creatorId, day: { ...lower, $lte: range.to } })
    .sort({ day: 1 })
    .limit(limit)
    .toArray();
}
