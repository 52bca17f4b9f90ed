import type { Collection, Db } from 'mongodb';
import type { InterestProfile } from '../domain/interest-profile.js';
import { DUPLICATE_KEY } from './mongo-errors.js';

/** The read model of a user's interest profile, written by the user-interest workflow's activity. */
export interface InterestProfileDoc extends InterestProfile {
  _id: string;
  topTopics: string[];
  savedAt: Date;
}

export function interestProfilesCollection(db: Db): Collection<InterestProfileDoc> {
  return db.collection<InterestProfileDoc>('interest_profiles');
}

export async function ensureInterestProfileIndexes(db: Db): Promise<void> {
  // Similar-user candidates are found by shared top topics instead of a full scan.
  await interestProfilesCollection(db).createIndex({ topTopics: 1 });
}

/**
 * Writes a profile unless a newer one is stored: retries and replays of the persisting activity may arrive out of
 * order, and `appliedEvents` only grows, so it orders them.
 */
export async function saveInterestProfile(db: Db, doc: InterestProfileDoc): Promise<void> {
  await interestProfilesCollection(db)
    .replaceOne({ _id: doc._id, appliedEvents: { $lte: doc.appliedEvents } }, doc, { upsert: true })
    .catch((error: { code?: number }) => {
      // The filter missed because a newer profile is stored, and the upsert then hit the _id: nothing to do.
      if (error.code !== DUPLICATE_KEY) throw error;
    });
}

/**
 * Replaces many profiles by _id in one unordered bulk write. The filter is the bare _id on purpose: FerretDB 1.x
 * pushes only a lone _id equality down to its index, and any other condition (such as an appliedEvents guard)
 * turns each replace into a collection scan. Ordering is kept by the writer instead (see activities/interest.ts).
 */
export async function saveInterestProfiles(db: Db, docs: readonly InterestProfileDoc[]): Promise<void> {
  if (docs.length === 0) return;
  await interestProfilesCollection(db).bulkWrite(
    docs.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })),
    { ordered: false },
  );
}

export async function loadInterestProfile(db: Db, userId: string): Promise<InterestProfile | null> {
  const doc = await interestProfilesCollection(db).findOne({ _id: userId });
  if (!doc) return null;
  const { _id, topTopics: _top, savedAt: _saved, ...profile } = doc;
  return profile;
}
