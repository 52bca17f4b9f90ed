import type { Db } from 'mongodb';
import { validateHandle } from '../domain/identity.js';
import { findHandle } from './handles.js';
import { findIdentity, type IdentityDoc } from './identities.js';

/** Who a handle names, as GET /identities/@:handle and Brain Mode's "@alice" both resolve it. */
export type Resolution = { identity: IdentityDoc } | { redirectTo: string } | null;

/**
 * By handle only (current, or renamed away and still reserved → redirect); never by user id, so a handle that
 * happens to spell another user's id cannot stand in for that user. Ids are looked up with findIdentity.
 */
export async function resolveHandle(db: Db, handle: string, now: Date): Promise<Resolution> {
  const check = validateHandle(handle);
  if (!check.ok) return null;
  const entry = await findHandle(db, check.handle);
  if (entry?.identityId) {
    const identity = await findIdentity(db, entry.identityId);
    if (identity) return { identity };
  }
  if (entry?.redirectTo && entry.reservedUntil && entry.reservedUntil > now) {
    const target = await findIdentity(db, entry.redirectTo);
    if (target) return { redirectTo: target.handle };
  }
  return null;
}
