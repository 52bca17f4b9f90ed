import type { Db } from 'mongodb';
import { checkRenameLimit, handleReservedUntil, validateHandle, type RenameLimit } from '../../../domain/identity.js';
import {
  claimHandle,
  findHandle,
  reserveRenamedHandle,
  takeOverHandle,
  unclaimHandle,
} from '../../../store/handles.js';
import {
  DEFAULT_SHARED_PREFERENCES,
  findIdentity,
  insertIdentity,
  switchIdentityHandle,
  type IdentityDoc,
  type ProfileFields,
} from '../../../store/identities.js';
import { conflict, tooManyRequests, unprocessable } from '../../problems.js';

/**
 * A claim whose identity was never written (the process died between the two writes) would hold its handle forever;
 * after this long without an identity behind it, the next claimant takes it over.
 */
export const ORPHAN_CLAIM_GRACE_MS = 10 * 60_000;

/** The normalised handle, or a 422 naming the rule the input breaks. */
export function checkedHandle(raw: string): string {
  const check = validateHandle(raw);
  if (!check.ok) throw unprocessable(check.message, [{ path: '/handle', message: check.message }]);
  return check.handle;
}

/**
 * The handle is claimed first (its document's _id makes concurrent claims have one winner), then the identity is
 * written; if that fails the claim is undone so the handle is not lost.
 */
export async function createIdentity(
  db: Db,
  userId: string,
  handle: string,
  profile: Partial<ProfileFields>,
  now: Date,
): Promise<IdentityDoc> {
  if (await findIdentity(db, userId)) throw conflict(`User ${userId} already has an identity`);
  if (!(await claimFreeOrOrphan(db, handle, userId, now))) throw conflict(`The handle "${handle}" is taken`);
  const doc: IdentityDoc = {
    _id: userId,
    handle,
    displayName: profile.displayName ?? handle,
    bio: profile.bio ?? '',
    avatarUrl: profile.avatarUrl ?? null,
    locale: profile.locale ?? null,
    timezone: profile.timezone ?? null,
    links: [],
    shared: DEFAULT_SHARED_PREFERENCES,
    verified: null,
    verification: null,
    onboarding: null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    if (await insertIdentity(db, doc)) return doc;
  } catch (error) {
    await unclaimHandle(db, handle, userId);
    throw error;
  }
  await unclaimHandle(db, handle, userId);
  throw conflict(`User ${userId} already has an identity`);
}

/**
 * Claim the new handle, move the identity onto it, then keep the old one reserved (and redirecting) for the
 * cooldown. A crash between the last two steps leaves the old handle still pointing at its owner: it then neither
 * redirects nor gets released, which loses nothing. Renames per period are limited (429 with Retry-After).
 */
export async function renameIdentity(
  db: Db,
  identity: IdentityDoc,
  handle: string,
  rules: { cooldownDays: number; limit: RenameLimit },
  now: Date,
): Promise<void> {
  if (handle === identity.handle) return;
  const takingBack = (await findHandle(db, handle))?.redirectTo === identity._id;
  const earlier = (identity.handleRenamedAt ?? []).map((d) => d.getTime());
  const check = checkRenameLimit(earlier, now.getTime(), rules.limit, takingBack);
  if (!check.ok) {
    const retryAt = new Date(check.retryAtMs).toISOString();
    throw tooManyRequests(
      `A handle can be changed ${rules.limit.max} times per ${rules.limit.periodDays} days; the next change is possible at ${retryAt}`,
      (check.retryAtMs - now.getTime()) / 1000,
    );
  }
  if (!(await claimFreeOrOrphan(db, handle, identity._id, now))) throw conflict(`The handle "${handle}" is taken`);
  const renamedAt = check.renamedAt.map((ms) => new Date(ms));
  if (!(await switchIdentityHandle(db, identity._id, identity.handle, handle, renamedAt, now))) {
    await unclaimHandle(db, handle, identity._id);
    throw conflict('The handle was changed by another request at the same time; reload and retry');
  }
  const reservedUntil = new Date(handleReservedUntil(now.getTime(), rules.cooldownDays));
  await reserveRenamedHandle(db, identity.handle, identity._id, reservedUntil);
}

async function claimFreeOrOrphan(db: Db, handle: string, identityId: string, now: Date): Promise<boolean> {
  if (await claimHandle(db, handle, identityId, now)) return true;
  const entry = await findHandle(db, handle);
  if (!entry?.identityId || entry.identityId === identityId) return false;
  if (now.getTime() - entry.claimedAt.getTime() < ORPHAN_CLAIM_GRACE_MS) return false;
  // Only a claim with no identity at all is an orphan; a rename that stopped half-way still has its owner.
  if (await findIdentity(db, entry.identityId)) return false;
  return takeOverHandle(db, entry, identityId, now);
}
