import type { Collection, Db } from 'mongodb';
import type { StationStatus } from '../domain/schedule.js';

/**
 * A TV station: its details (written by the API) and the state its workflow publishes on every change (status,
 * live show, next start), which is what `GET /stations?live=true` lists without asking Temporal.
 */
export interface LiveShowSummary {
  showId: string;
  title: string;
  startedAt: Date;
  endsAt: Date;
}

export interface StationDoc {
  _id: string;
  ownerId: string;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  status: StationStatus;
  liveShow: LiveShowSummary | null;
  nextShowAt: Date | null;
}

export interface StationState {
  status: StationStatus;
  liveShow: LiveShowSummary | null;
  nextShowAt: Date | null;
}

export function stationsCollection(db: Db): Collection<StationDoc> {
  return db.collection<StationDoc>('stations');
}

export async function ensureStationIndexes(db: Db): Promise<void> {
  await stationsCollection(db).createIndex({ ownerId: 1 });
  await stationsCollection(db).createIndex({ status: 1, _id: 1 });
}

export async function insertStation(db: Db, doc: StationDoc): Promise<void> {
  await stationsCollection(db).insertOne(doc);
}

export function findStation(db: Db, stationId: string): Promise<StationDoc | null> {
  return stationsCollection(db).findOne({ _id: stationId });
}

export async function updateStationDetails(
  db: Db,
  stationId: string,
  details: Partial<Pick<StationDoc, 'name' | 'description'>>,
  now: Date,
): Promise<StationDoc | null> {
  await stationsCollection(db).updateOne({ _id: stationId }, { $set: { ...details, updatedAt: now } });
  return findStation(db, stationId);
}

/** Written only by the station workflow's activities, one at a time in order, so the last write is the newest. */
export async function setStationState(db: Db, stationId: string, state: StationState): Promise<void> {
  await stationsCollection(db).updateOne({ _id: stationId }, { $set: state });
}

/** Stations by id, optionally only those live now; `afterId` is the last id of the previous page. */
export function listStations(
  db: Db,
  filter: { live?: boolean; ownerId?: string },
  afterId: string | null,
  limit: number,
): Promise<StationDoc[]> {
  const query = {
    ...(filter.live === undefined
      ? {}
      : filter.live
        ? { status: 'live' as const }
        : { status: { $ne: 'live' as const } }),
    ...(filter.ownerId ? { ownerId: filter.ownerId } : {}),
    ...(afterId ? { _id: { $gt: afterId } } : {}),
  };
  return stationsCollection(db).find(query).sort({ _id: 1 }).limit(limit).toArray();
}
