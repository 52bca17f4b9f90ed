import type { Db } from 'mongodb';
import type { TopicVector } from '../domain/similar-users.js';
import { interestProfilesCollection } from './interest-profiles.js';

/**
 * Candidates for similar users: profiles that share at least one of the user's indexed top topics. `topTopics` is
 * a multikey index (an inverted index topic → users), so each lookup reads only the users of one topic, never the
 * whole collection. One bounded query per topic rather than one `$in` over all of them, so a popular topic cannot
 * crowd the rarer, more telling ones out of the candidate set.
 */
export async function similarUserCandidates(
  db: Db,
  userId: string,
  topics: readonly string[],
  perTopic: number,
): Promise<TopicVector[]> {
  const lists = await Promise.all(
    topics.map((topic) =>
      interestProfilesCollection(db)
        .find({ topTopics: topic, _id: { $ne: userId } }, { projection: { topics: 1 } })
        .limit(perTopic)
        .toArray(),
    ),
  );
  const byUser = new Map<string, TopicVector>();
  for (const doc of lists.flat()) byUser.set(doc._id, { userId: doc._id, topics: doc.topics });
  return [...byUser.values()];
}
