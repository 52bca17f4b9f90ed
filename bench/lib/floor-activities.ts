import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { cacheProfiles } from '../../src/cache/profiles.js';
import { emptyProfile } from '../../src/domain/interest-profile.js';
import { createGroupBatcher } from '../../src/store/group-batcher.js';
import { loadInterestProfiles, profileOf, saveInterestProfiles } from '../../src/store/interest-profiles.js';

/** Profiles per bulk call, as the system's persist (activities/interest.ts). */
const PROFILES_PER_FLUSH = 500;

interface FloorWrite {
  userId: string;
  /** Events to add to the stored profile's (restore), or the profile's whole count (no restore). */
  events: number;
  restore: boolean;
}

/**
 * The floor lane's local activities: the profile read and the guarded write the system's workflow must make, then the
 * hot-cache copy the request paths read, with the store's own helpers and group commit, batched across the worker's
 * workflows as the system's are.
 */
export function createFloorActivities(db: Db, redis: Redis) {
  const writer = createGroupBatcher<FloorWrite, void>(async (items) => {
    const restoring = items.filter((i) => i.restore).map((i) => i.userId);
    const stored = restoring.length > 0 ? await loadInterestProfiles(db, restoring) : new Map<string, never>();
    const now = Date.now();
    const docs = items.map(({ userId, events, restore }) => {
      const profile = stored.get(userId)?.profile ?? emptyProfile(userId, now);
      const appliedEvents = (restore ? profile.appliedEvents : 0) + events;
      return { ...profile, appliedEvents, updatedAtMs: now, _id: userId, topTopics: [], savedAt: new Date(now) };
    });
    await saveInterestProfiles(db, docs);
    await cacheProfiles(redis, docs.map(profileOf));
    return items.map(() => undefined);
  }, PROFILES_PER_FLUSH);
  return {
    /** Cold start: restores the user's profile and writes it with `counted` more events. */
    writeFloorProfile: (userId: string, counted: number): Promise<void> =>
      writer.submit({ userId, events: counted, restore: true }),
    /** Steady state: the running workflow holds the count, so the write needs no read. */
    saveFloorProfile: (userId: string, appliedEvents: number): Promise<void> =>
      writer.submit({ userId, events: appliedEvents, restore: false }),
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;
