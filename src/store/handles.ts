import type { Collection, Db } from 'mongodb';
import { DUPLICATE_KEY } from './mongo-errors.js';

/**
 * Global handles, one document per normalised handle (_id), so the primary key makes concurrent claims of the same
 * handle have exactly one winner (FerretDB serves unique _id everywhere). A handle renamed away keeps its document
 * with `redirectTo` and `reservedUntil`: it resolves as a redirect and only its previous owner may take it back
 * until then; afterwards anyone may claim it.
 */
export interface HandleDoc {
  _id: string;
  /** The identity holding the handle; null once renamed away. */
  identityId: string | null;
  claimedAt: Date;
  redirectTo: string | null;
  reservedUntil: Date | null;
}

export function handlesCollection(db: Db): Collection<HandleDoc> {
  return db.collection<HandleDoc>('handles');
}

export async function ensureHandleIndexes(db: Db): Promise<void> {
  // Renames look up the identity's current handle document.
  await handlesCollection(db).createIndex({ identityId: 1 });
}

export function findHandle(db: Db, handle: string): Promise<HandleDoc | null> {
  return handlesCollection(db).findOne({ _id: handle });
}

/** Claims `handle` for `identityId`; false when someone else holds it or it is still reserved for another owner. */
export async function claimHandle(db: Db, handle: string, identityId: string, now: Date): Promise<boolean> {
  const claimed: HandleDoc = { _id: handle, identityId, claimedAt: now, redirectTo: null, reservedUntil: null };
  try {
    await handlesCollection(db).insertOne(claimed);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
  }
  const existing = await findHandle(db, handle);
  if (!existing || existing.identityId !== null) return existing?.identityId === identityId;
  const reclaimable =
    existing.redirectTo === identityId || (existing.reservedUntil !== null && existing.reservedUntil <= now);
  if (!reclaimable) return false;
  // Matching the exact released state makes concurrent reclaims race on one document write: one wins.
  const { matchedCount } = await handlesCollection(db).replaceOne(
    { _id: handle, identityId: null, redirectTo: existing.redirectTo, reservedUntil: existing.reservedUntil },
    claimed,
  );
  return matchedCount === 1;
}

/** Undoes a claim whose identity write failed; only the claimant's own document is removed. */
export async function unclaimHandle(db: Db, handle: string, identityId: string): Promise<void> {
  await handlesCollection(db).deleteOne({ _id: handle, identityId });
}

/** Marks a handle renamed away: it redirects to its identity and stays reserved until `reservedUntil`. */
export async function reserveRenamedHandle(
  db: Db,
  handle: string,
  identityId: string,
  reservedUntil: Date,
): Promise<void> {
  await handlesCollection(db).updateOne(
    { _id: handle, identityId },
    { $set: { identityId: null, redirectTo: identityId, reservedUntil } },
  );
}

/** Replaces a claim only if it is still exactly `stale`, so concurrent take-overs have one winner. */
export async function takeOverHandle(db: Db, stale: HandleDoc, identityId: string, now: Date): Promise<boolean> {
  const claimed: HandleDoc = { _id: stale._id, identityId, claimedAt: now, redirectTo: null, reservedUntil: null };
  const { matchedCount } = await handlesCollection(db).replaceOne(
    { _id: stale._id, identityId: stale.identityId, claimedAt: stale.claimedAt },
    claimed,
  );
  return matchedCount === 1;
}
