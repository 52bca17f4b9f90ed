import type { Db } from 'mongodb';
import { emptyProfile } from '../../src/domain/interest-profile.js';
import { createGroupBatcher } from '../../src/store/group-batcher.js';
import { loadInterestProfiles, saveInterestProfiles } from '../../src/store/interest-profiles.js';

/** Profiles per bulk call, as the system's persist (activities/interest.ts). */
const PROFILES_PER_FLUSH = 500;

/**
 * The floor lane's one local activity per user: the profile read and the guarded write the system's workflow must
 * make, with the store's own helpers and group commit, batched across the worker's workflows as the system's are.
 */
export function createFloorActivities(db: Db) {
  const writer = createGroupBatcher<{ userId: string; counted: number }, void>(async (items) => {
    const stored = await loadInterestProfiles(
      db,
      items.map((i) => i.userId),
    );
    const now = Date.now();
    const docs = items.map(({ userId, counted }) => {
      const profile = stored.get(userId)?.profile ?? emptyProfile(userId, now);
      const appliedEvents = profile.appliedEvents + counted;
      return { ...profile, appliedEvents, updatedAtMs: now, _id: userId, topTopics: [], savedAt: new Date(now) };
    });
    await saveInterestProfiles(db, docs);
    return items.map(() => undefined);
  }, PROFILES_PER_FLUSH);
  return {
    writeFloorProfile: (userId: string, counted: number): Promise<void> => writer.submit({ userId, counted }),
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;
