import type { ContentType } from '../src/domain/engagement.js';
import { contentTypeOptOuts } from '../src/store/identities.js';
import type { ActivityDeps } from './deps.js';

/** What the user-interest workflow reads from the identity: the shared preferences that shape the profile. */
export function createInterestPreferenceActivities({ db }: ActivityDeps) {
  return {
    /** A read only, so retries are free; none without an identity. */
    loadContentTypeOptOuts(userId: string): Promise<ContentType[]> {
      return contentTypeOptOuts(db, userId);
    },
  };
}

export type InterestPreferenceActivities = ReturnType<typeof createInterestPreferenceActivities>;
