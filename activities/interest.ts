import { log } from '@temporalio/activity';
import { topTopics, type InterestProfile } from '../src/domain/interest-profile.js';
import { loadInterestProfile, saveInterestProfile } from '../src/store/interest-profiles.js';
import { redisKeys, redisTtlSeconds } from '../src/store/redis-keys.js';
import type { ActivityDeps } from './deps.js';

/** How many top topics the read model indexes for similar-user candidates. */
const INDEXED_TOPICS = 10;

export function createInterestActivities({ db, redis }: ActivityDeps) {
  return {
    /** Idempotent: a whole-profile replace guarded by appliedEvents, then the hot cache. */
    async persistInterestProfile(profile: InterestProfile): Promise<void> {
      const doc = {
        ...profile,
        _id: profile.userId,
        topTopics: topTopics(profile, INDEXED_TOPICS).map((t) => t.topic),
        savedAt: new Date(),
      };
      await saveInterestProfile(db, doc);
      // Redis is a cache: losing it must not fail (and endlessly retry) the activity.
      await redis
        .set(redisKeys.interestProfile(profile.userId), JSON.stringify(profile), 'EX', redisTtlSeconds.interestProfile)
        .catch((error: Error) =>
          log.warn('profile cache write failed', { userId: profile.userId, error: error.message }),
        );
    },

    loadInterestProfile(userId: string): Promise<InterestProfile | null> {
      return loadInterestProfile(db, userId);
    },
  };
}
