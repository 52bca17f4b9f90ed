import type { Db } from 'mongodb';
import type { OnboardingProgressEvent } from '../domain/onboarding.js';
import { eventsCollection } from './events.js';
import { relationshipsCollection } from './relationships.js';

/**
 * Progress a user made before onboarding started (a follow, an engagement before claiming a handle): those paths
 * signalled a workflow that did not exist yet, so onboarding learns of them from the records when it starts.
 */
export async function progressBeforeOnboarding(db: Db, userId: string): Promise<OnboardingProgressEvent[]> {
  const [follow, event] = await Promise.all([
    relationshipsCollection(db).findOne({ from: userId, kind: 'follow' }, { projection: { to: 1 } }),
    eventsCollection(db).findOne({ userId }, { projection: { _id: 1 } }),
  ]);
  return [
    ...(follow ? [{ kind: 'creator_followed' as const, creatorId: follow.to }] : []),
    ...(event ? [{ kind: 'engaged' as const, eventId: event._id }] : []),
  ];
}
