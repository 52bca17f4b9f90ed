import type { Collection, Db } from 'mongodb';
import type { ContentType } from '../domain/engagement.js';
import type { ExternalLink } from '../domain/external-links.js';
import type { OnboardingStage } from '../domain/onboarding.js';
import type { VerificationStatusName } from '../domain/verification.js';
import { findByIds } from './bulk.js';
import { DUPLICATE_KEY } from './mongo-errors.js';

/** Preferences every app sees; the per-app documents live in `identity_preferences`. */
export interface SharedPreferences {
  language: string | null;
  /** Content types the user never wants recommended. */
  contentTypeOptOuts: ContentType[];
  notifications: { push: boolean; email: boolean; reminders: boolean };
}

export const DEFAULT_SHARED_PREFERENCES: SharedPreferences = {
  language: null,
  contentTypeOptOuts: [],
  notifications: { push: true, email: true, reminders: true },
};

export interface ProfileFields {
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  locale: string | null;
  timezone: string | null;
}

/** One identity per user across the apps; _id is the user id, the handle is unique through `handles`. */
export interface IdentityDoc extends ProfileFields {
  _id: string;
  handle: string;
  links: ExternalLink[];
  shared: SharedPreferences;
  verified: { at: Date; by: string } | null;
  verification: { status: VerificationStatusName; at: Date } | null;
  onboarding: { stage: OnboardingStage; at: Date } | null;
  /** When the recent renames that count toward the rename limit happened (older ones are dropped). */
  handleRenamedAt?: Date[];
  createdAt: Date;
  updatedAt: Date;
}

export function identitiesCollection(db: Db): Collection<IdentityDoc> {
  return db.collection<IdentityDoc>('identities');
}

export async function ensureIdentityIndexes(db: Db): Promise<void> {
  // The handle's uniqueness is enforced by `handles` (_id); this index serves lookups by current handle.
  await identitiesCollection(db).createIndex({ handle: 1 });
}

/** False when the user already has an identity. */
export async function insertIdentity(db: Db, doc: IdentityDoc): Promise<boolean> {
  try {
    await identitiesCollection(db).insertOne(doc);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
    throw error;
  }
}

export function findIdentity(db: Db, id: string): Promise<IdentityDoc | null> {
  return identitiesCollection(db).findOne({ _id: id });
}

/** Many identities in one query, by user id. */
export function findIdentities(db: Db, ids: readonly string[]): Promise<Map<string, IdentityDoc>> {
  return findByIds(identitiesCollection(db), ids);
}

/** Sets fields of one identity and returns it, or null when it does not exist. */
export async function updateIdentity(
  db: Db,
  id: string,
  fields: Partial<Omit<IdentityDoc, '_id' | 'createdAt' | 'updatedAt'>>,
  now = new Date(),
): Promise<IdentityDoc | null> {
  const { matchedCount } = await identitiesCollection(db).updateOne(
    { _id: id },
    { $set: { ...fields, updatedAt: now } },
  );
  return matchedCount === 1 ? findIdentity(db, id) : null;
}

/**
 * Moves the identity from one handle to another and records the renames that count toward the limit; false when a
 * concurrent rename changed the handle first (matching `from` makes concurrent renames have one winner).
 */
export async function switchIdentityHandle(
  db: Db,
  id: string,
  from: string,
  to: string,
  renamedAt: Date[],
  now: Date,
): Promise<boolean> {
  const { matchedCount } = await identitiesCollection(db).updateOne(
    { _id: id, handle: from },
    { $set: { handle: to, handleRenamedAt: renamedAt, updatedAt: now } },
  );
  return matchedCount === 1;
}

/**
 * What the feed and the interest profile must leave out for a user (shared preferences); none without an identity.
 * For the ranking and interest paths to call: opting out of a type hides it, it does not erase the history.
 */
export async function contentTypeOptOuts(db: Db, userId: string): Promise<ContentType[]> {
  const doc = await identitiesCollection(db).findOne({ _id: userId }, { projection: { shared: 1 } });
  return doc?.shared?.contentTypeOptOuts ?? [];
}
