import { log } from '@temporalio/activity';
import type { ContentType } from '../src/domain/engagement.js';
import { topTopics, type InterestProfile } from '../src/domain/interest-profile.js';
import { cacheProfiles } from '../src/cache/profiles.js';
import { indexProfiles, INDEXED_TOPICS } from '../src/cache/similar-users.js';
import { createGroupBatcher } from '../src/store/group-batcher.js';
import { findIdentities } from '../src/store/identities.js';
import {
  loadInterestProfiles,
  profileOf,
  saveInterestProfiles,
  type InterestProfileDoc,
} from '../src/store/interest-profiles.js';
import type { ActivityDeps } from './deps.js';

/** Profiles per bulk call: large enough to amortise a round trip, small enough to stay quick. */
const PROFILES_PER_FLUSH = 500;

/** What a fresh run of the user-interest workflow needs from outside, read in one local activity. */
export interface RestoredInterestState {
  profile: InterestProfile | null;
  contentTypeOptOuts: ContentType[];
  /** Whether an onboarding may still wait for this user's first engagement (an identity whose onboarding is open). */
  onboardingOpen: boolean;
  /** The eventIds the stored profile already holds (see InterestProfileDoc); [] without one. */
  appliedEventIds: string[];
}

export function createInterestActivities({ db, redis }: ActivityDeps) {
  // One writer and one reader per worker process: the user workflows it runs share their bulk calls.
  const profileWriter = createGroupBatcher<InterestProfileDoc, void>(async (docs) => {
    const latest = latestPerUser(docs);
    const written = await saveInterestProfiles(db, latest);
    // Redis is a cache: losing it must not fail (and endlessly retry) the writes. A stale write (a newer profile is
    // stored) leaves the cache to the write that stored the newer one.
    const fresh = latest.filter((_, i) => written[i]);
    await cacheProfiles(redis, fresh.map(profileOf)).catch((error: Error) =>
      log.warn('profile cache write failed', { error: error.message }),
    );
    // The similar-users index is derived too; a rebuild (src/cache/rebuild.ts) restores what a failure here misses.
    await indexProfiles(redis, fresh).catch((error: Error) =>
      log.warn('similar-users index write failed', { error: error.message }),
    );
    return docs.map(() => undefined);
  }, PROFILES_PER_FLUSH);

  const stateReader = createGroupBatcher<string, RestoredInterestState>(async (userIds) => {
    const [profiles, identities] = await Promise.all([loadInterestProfiles(db, userIds), findIdentities(db, userIds)]);
    return userIds.map((userId) => {
      const identity = identities.get(userId);
      const stage = identity?.onboarding?.stage;
      const stored = profiles.get(userId);
      return {
        profile: stored?.profile ?? null,
        contentTypeOptOuts: identity?.shared?.contentTypeOptOuts ?? [],
        onboardingOpen: identity !== undefined && stage !== 'completed' && stage !== 'abandoned',
        appliedEventIds: stored?.appliedEventIds ?? [],
      };
    });
  }, PROFILES_PER_FLUSH);

  return {
    /**
     * Idempotent: a whole-profile replace by _id, guarded so that it never replaces a newer profile (see
     * saveInterestProfiles), then the hot cache. Run as a local activity by current workflows (an activity task
     * before 'interest-local-activities'). Current workflows pass the eventIds they applied, stored with the
     * profile (see InterestProfileDoc).
     */
    async persistInterestProfile(profile: InterestProfile, appliedEventIds?: string[]): Promise<void> {
      await profileWriter.submit({
        ...profile,
        _id: profile.userId,
        topTopics: topTopics(profile, INDEXED_TOPICS).map((t) => t.topic),
        savedAt: new Date(),
        ...(appliedEventIds ? { appliedEventIds } : {}),
      });
    },

    /** A fresh run's whole start-up read (read model and identity): one local activity, batched across users. */
    restoreInterestState(userId: string): Promise<RestoredInterestState> {
      return stateReader.submit(userId);
    },
  };
}

export type InterestActivities = ReturnType<typeof createInterestActivities>;

/** Retries can put two writes of one profile in a flush; only the latest may be written. */
function latestPerUser(docs: InterestProfileDoc[]): InterestProfileDoc[] {
  const latest = new Map<string, InterestProfileDoc>();
  for (const doc of docs) {
    const seen = latest.get(doc._id);
    if (!seen || seen.appliedEvents <= doc.appliedEvents) latest.set(doc._id, doc);
  }
  return [...latest.values()];
}
