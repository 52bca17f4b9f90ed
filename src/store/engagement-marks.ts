import type { Collection, Db } from 'mongodb';
import { findByIds, insertManyNew } from './bulk.js';

/**
 * The first event of each (type, user, item) for the types that count once toward a creator (likes, shares). The
 * mark keeps the eventId that claimed it, so a relay delivery repeated after a crash finds its own marks and counts
 * those events again (the creator workflow drops the repeated part); a later like of the same item finds another
 * event's mark and does not count.
 */
interface EngagementMark {
  _id: string;
  eventId: string;
}

export const engagementMarkKey = (type: string, userId: string, contentId: string): string =>
  JSON.stringify([type, userId, contentId]);

function marksCollection(db: Db): Collection<EngagementMark> {
  return db.collection<EngagementMark>('engagement_marks');
}

/**
 * Claims each key for its event; returns the eventIds that own their key (first claim, or a retry of it). A retry may
 * bring a key's events in another order than the claim that won (its entries retaken with others), so an existing
 * mark's owner counts whenever it is among the claims for that key, not only when it comes first.
 */
export async function claimEngagementMarks(
  db: Db,
  claims: ReadonlyArray<{ key: string; eventId: string }>,
): Promise<Set<string>> {
  // Within one call the first claim of a key wins, like an earlier call would.
  const claimsByKey = new Map<string, string[]>();
  for (const c of claims) claimsByKey.set(c.key, [...(claimsByKey.get(c.key) ?? []), c.eventId]);
  const docs = [...claimsByKey].map(([_id, eventIds]) => ({ _id, eventId: eventIds[0]! }));
  const taken = await insertManyNew(marksCollection(db), docs);
  const owners = new Set(docs.filter((_, i) => !taken.has(i)).map((d) => d.eventId));
  const existing = await findByIds(
    marksCollection(db),
    docs.filter((_, i) => taken.has(i)).map((d) => d._id),
  );
  for (const mark of existing.values()) {
    if (claimsByKey.get(mark._id)?.includes(mark.eventId)) owners.add(mark.eventId);
  }
  return owners;
}
