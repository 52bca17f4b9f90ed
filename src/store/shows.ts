import type { Collection, Db } from 'mongodb';
import type { Show, ShowStatus } from '../domain/schedule.js';

/**
 * Finished shows (ended, cancelled, missed), moved out of the station workflow's state, with the viewer statistics
 * folded in from Redis when a live show ends. `_id` is the showId, so a retried write lands on the same record.
 */
export interface ShowStats {
  peakViewers: number;
  uniqueViewers: number;
  viewersAtEnd: number;
}

export interface ShowDoc {
  _id: string;
  stationId: string;
  title: string;
  status: ShowStatus;
  startAt: Date;
  endAt: Date;
  wentLiveAt: Date | null;
  finishedAt: Date | null;
  stats?: ShowStats;
}

export function showsCollection(db: Db): Collection<ShowDoc> {
  return db.collection<ShowDoc>('shows');
}

export async function ensureShowIndexes(db: Db): Promise<void> {
  await showsCollection(db).createIndex({ stationId: 1, startAt: -1 });
}

/**
 * Upserts the show's record. Stats are written only when given, so the retry of an activity that already cleared
 * the Redis counts (and so has none to give) keeps the stats the first attempt stored.
 */
export async function recordShow(db: Db, stationId: string, show: Show, stats: ShowStats | null): Promise<void> {
  const fields: Omit<ShowDoc, '_id'> = {
    stationId,
    title: show.title,
    status: show.status,
    startAt: new Date(show.startMs),
    endAt: new Date(show.startMs + show.durationMs),
    wentLiveAt: show.wentLiveAtMs === undefined ? null : new Date(show.wentLiveAtMs),
    finishedAt: show.finishedAtMs === undefined ? null : new Date(show.finishedAtMs),
    ...(stats ? { stats } : {}),
  };
  await showsCollection(db).updateOne({ _id: show.showId }, { $set: fields }, { upsert: true });
}

export function findShow(db: Db, showId: string): Promise<ShowDoc | null> {
  return showsCollection(db).findOne({ _id: showId });
}

/** A station's finished shows, latest start first; `before` is the last show of the previous page. */
export function showsOfStation(
  db: Db,
  stationId: string,
  before: { startMs: number; id: string } | null,
  limit: number,
): Promise<ShowDoc[]> {
  const older = before
    ? {
        $or: [
          { startAt: { $lt: new Date(before.startMs) } },
          { startAt: new Date(before.startMs), _id: { $lt: before.id } },
        ],
      }
    : {};
  return showsCollection(db)
    .find({ stationId, ...older })
    .sort({ startAt: -1, _id: -1 })
    .limit(limit)
    .toArray();
}
