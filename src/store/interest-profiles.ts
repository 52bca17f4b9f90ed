import type { Collection, Db } from 'mongodb';
import { findByIds, insertManyNew } from './bulk.js';
import type { InterestProfile } from '../domain/interest-profile.js';
import { DUPLICATE_KEY } from './mongo-errors.js';

/** The read model of a user's interest profile, written by the user-interest workflow's activity. */
export interface InterestProfileDoc extends InterestProfile {
  _id: string;
  topTopics: string[];
  savedAt: Date;
  /**
   * The workflow's memory of applied eventIds (bounded, newest last) when it wrote this profile, so whoever restores
   * the profile knows which events it already holds. Two cases need it: a run whose first workflow task persisted
   * and then was lost (worker killed before reporting it) restores again on retry, now reading the profile it wrote,
   * while its signals replay; and a relay redelivery that arrives after the run went idle and completed.
   */
  appliedEventIds?: string[];
}

/** What a fresh workflow run restores: the profile and the eventIds it already holds. */
export interface StoredInterestProfile {
  profile: InterestProfile;
  appliedEventIds: string[];
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
 * Writes many profiles, each replacing the stored one, in three bulk calls at most: insert all; the ones that
 * exist already (duplicate _id) are deleted and inserted again. Not replaceOne: FerretDB 1.x finds the document of
 * an update by scanning the whole collection, once per document, while an insert checks the unique _id index and a
 * bulk delete scans once for all. The price is a moment in which a replaced profile is missing; only the profile's
 * own workflow writes it, and its next write or retry puts it back, so a reader can at worst see "no profile yet".
 * Ordering between writes of one profile is the caller's job (see activities/interest.ts).
 */
export async function saveInterestProfiles(db: Db, docs: readonly InterestProfileDoc[]): Promise<void> {
  const existing = await insertNew(db, docs);
  if (existing.length === 0) return;
  await interestProfilesCollection(db).deleteMany({ _id: { $in: existing.map((d) => d._id) } });
  const again = await insertNew(db, existing);
  // Another writer inserted in between: only a concurrent run of the same workflow could, which Temporal prevents.
  if (again.length > 0) throw new Error(`profiles written concurrently: ${again.map((d) => d._id).join(', ')}`);
}

/** Inserts the docs and returns those whose _id is already stored. */
async function insertNew(db: Db, docs: readonly InterestProfileDoc[]): Promise<InterestProfileDoc[]> {
  const stored = await insertManyNew(interestProfilesCollection(db), docs);
  return docs.filter((_, i) => stored.has(i));
}

/** Many profiles in one query, by user id. */
export async function loadInterestProfiles(
  db: Db,
  userIds: readonly string[],
): Promise<Map<string, StoredInterestProfile>> {
  const docs = await findByIds(interestProfilesCollection(db), userIds);
  return new Map(
    [...docs].map(([id, doc]) => [id, { profile: profileOf(doc), appliedEventIds: doc.appliedEventIds ?? [] }]),
  );
}

export async function loadInterestProfile(db: Db, userId: string): Promise<InterestProfile | null> {
  const doc = await interestProfilesCollection(db).findOne({ _id: userId });
  return doc ? profileOf(doc) : null;
}

/** The domain profile of a stored document (what the API serves and the Redis cache holds). */
export function profileOf(doc: InterestProfileDoc): InterestProfile {
  const { _id, topTopics: _top, savedAt: _saved, appliedEventIds: _ids, ...profile } = doc;
  return profile;
}
