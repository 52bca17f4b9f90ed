import type { Db } from 'mongodb';
import { validateHandle } from '../domain/identity.js';
import { findHandle } from './handles.js';
import { findIdentity, type IdentityDoc } from './identities.js';

/** Who a handle or id names, as GET /identities/:handleOrId and Brain Mode's "@alice" both resolve it. */
export type Resolution = { identity: IdentityDoc } | { redirectTo: string } | null;

/** A handle first (current, or renamed away and still reserved → redirect), then an identity id. */
export async function resolveIdentity(db: Db, handleOrId: string, now: Date): Promise<Resolution> {
  const check = validateHandle(handleOrId);
  const entry = check.ok ? await findHandle(db, check.handle) : null;
  if (entry?.identityId) {
    const identity = await findIdentity(db, entry.identityId);
    if (identity) return { identity };
  }
  if (entry?.redirectTo && entry.reservedUntil && entry.reservedUntil > now) {
    const target = await findIdentity(db, entry.redirectTo);
    if (target) return { redirectTo: target.handle };
  }
  const identity = await findIdentity(db, handleOrId);
  return identity ? { identity } : null;
}
