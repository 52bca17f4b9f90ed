import type { Identity } from '../../schemas/identities.js';
import type { IdentityDoc } from '../../../store/identities.js';
import { API_V1 } from '../../base-path.js';

/** The public view of an identity: private settings (shared preferences, onboarding) stay out. */
export function identityView(doc: IdentityDoc): Identity {
  return {
    id: doc._id,
    handle: doc.handle,
    displayName: doc.displayName,
    bio: doc.bio,
    avatarUrl: doc.avatarUrl,
    locale: doc.locale,
    timezone: doc.timezone,
    links: doc.links,
    verified: doc.verified !== null,
    verifiedAt: doc.verified?.at.toISOString() ?? null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export const identityLocation = (userId: string): string => `${API_V1}/identities/${encodeURIComponent(userId)}`;

/** Handles use only a–z 0–9 _ . so they need no escaping; the @ marks the path segment as a handle. */
export const handleLocation = (handle: string): string => `${API_V1}/identities/@${handle}`;

export const isoOrNull = (ms: number | null | undefined): string | null =>
  typeof ms === 'number' ? new Date(ms).toISOString() : null;
