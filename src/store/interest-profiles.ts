import type { Collection, Db, Filter } from 'mongodb';
import { findByIds, replaceGuarded } from './bulk.js';
import type { InterestProfile } from '../domain/interest-profile.js';

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
 * The profiles a stored one may be replaced by: those with more applied events, or as many and decayed to a later
 * (or the same) time. Both only grow in a user's workflow, so retried, replayed and late writes are ordered by them.
 */
function notNewerThan(doc: InterestProfileDoc): Filter<InterestProfileDoc> {
  return {
    $or: [
      { appliedEvents: { $lt: doc.appliedEvents } },
      { appliedEvents: doc.appliedEvents, updatedAtMs: { $lte: doc.updatedAtMs } },
    ],
  };
}

/** Writes a profile unless a newer one is stored; says whether it wrote. */
export async function saveInterestProfile(db: Db, doc: InterestProfileDoc): Promise<boolean> {
  const [written] = await saveInterestProfiles(db, [doc]);
  return written ?? false;
}

/**
 * Writes many profiles by _id in unordered bulk calls, each replacing the stored one only when that is not newer
 * (see bulk.ts's replaceGuarded): a profile is never missing on the way, and a late writer cannot undo a newer one.
 * Says for each whether it was written.
 */
export function saveInterestProfiles(db: Db, docs: readonly InterestProfileDoc[]): Promise<boolean[]> {
  const entries = docs.map((doc) => ({ doc, newerThanStored: notNewerThan(doc) }));
  return replaceGuarded(interestProfilesCollection(db), entries);
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
