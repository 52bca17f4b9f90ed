import { log } from '@temporalio/activity';
import type { ContentType } from '../src/domain/engagement.js';
import { topTopics, type InterestProfile } from '../src/domain/interest-profile.js';
import { findIdentity } from '../src/store/identities.js';
import { loadInterestProfile, saveInterestProfiles, type InterestProfileDoc } from '../src/store/interest-profiles.js';
import { redisKeys, redisTtlSeconds } from '../src/store/redis-keys.js';
import { createWriteBatcher } from '../src/store/write-batcher.js';
import type { ActivityDeps } from './deps.js';

/** How many top topics the read model indexes for similar-user candidates. */
const INDEXED_TOPICS = 10;
/** Profiles per bulk write: large enough to amortise a round trip, small enough to stay a quick write. */
const PROFILES_PER_FLUSH = 500;

/** What a fresh run of the user-interest workflow needs from outside, read in one local activity. */
export interface RestoredInterestState {
  profile: InterestProfile | null;
  contentTypeOptOuts: ContentType[];
  /** Whether an onboarding may still wait for this user's first engagement (an identity whose onboarding is open). */
  onboardingOpen: boolean;
}

export function createInterestActivities({ db, redis }: ActivityDeps) {
  // One writer per worker process: the persists of all the user workflows it runs share its bulk writes.
  const profileWriter = createWriteBatcher<InterestProfileDoc>(async (docs) => {
    const latest = latestPerUser(docs);
    await saveInterestProfiles(db, latest);
    // Redis is a cache: losing it must not fail (and endlessly retry) the writes.
    const cache = redis.pipeline();
    for (const doc of latest) {
      const { _id, topTopics: _top, savedAt: _saved, ...profile } = doc;
      cache.set(redisKeys.interestProfile(_id), JSON.stringify(profile), 'EX', redisTtlSeconds.interestProfile);
    }
    await cache.exec().catch((error: Error) => log.warn('profile cache write failed', { error: error.message }));
  }, PROFILES_PER_FLUSH);

  return {
    /**
     * Idempotent: a whole-profile replace by _id, then the hot cache. Run as a local activity by current workflows
     * (an activity task before 'interest-local-activities'). Writes from one worker land in the order they were
     * made (see write-batcher.ts); a retry is queued behind the attempt it replaces.
     */
    async persistInterestProfile(profile: InterestProfile): Promise<void> {
      await profileWriter.write({
        ...profile,
        _id: profile.userId,
        topTopics: topTopics(profile, INDEXED_TOPICS).map((t) => t.topic),
        savedAt: new Date(),
      });
    },

    loadInterestProfile(userId: string): Promise<InterestProfile | null> {
      return loadInterestProfile(db, userId);
    },

    /** A fresh run's whole start-up read (read model and identity), so it costs one local activity. */
    async restoreInterestState(userId: string): Promise<RestoredInterestState> {
      const [profile, identity] = await Promise.all([loadInterestProfile(db, userId), findIdentity(db, userId)]);
      const stage = identity?.onboarding?.stage;
      return {
        profile,
        contentTypeOptOuts: identity?.shared?.contentTypeOptOuts ?? [],
        onboardingOpen: identity !== null && stage !== 'completed' && stage !== 'abandoned',
      };
    },
  };
}

/** Retries can put two writes of one profile in a flush; unordered bulk writes would apply them in any order. */
function latestPerUser(docs: InterestProfileDoc[]): InterestProfileDoc[] {
  const latest = new Map<string, InterestProfileDoc>();
  for (const doc of docs) {
    const seen = latest.get(doc._id);
    if (!seen || seen.appliedEvents <= doc.appliedEvents) latest.set(doc._id, doc);
  }
  return [...latest.values()];
}
