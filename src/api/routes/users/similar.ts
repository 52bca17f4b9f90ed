import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rankSimilarUsers, type SimilarUser } from '../../../domain/similar-users.js';
import { interestProfilesCollection } from '../../../store/interest-profiles.js';
import type { Db } from 'mongodb';
import { rebuildHotCachesInBackground } from '../../../cache/rebuild.js';
import { readyIndexedVector, similarUsersFromIndex } from '../../../cache/similar-users.js';
import { similarUserCandidates as storedCandidates } from '../../../store/similar-user-candidates.js';
import { assertCanActFor } from '../../ownership.js';
import { notFound } from '../../problems.js';
import { problemResponses } from '../../schemas/common.js';
import { SimilarUserList, SimilarUsersQuery } from '../../schemas/similar-users.js';
import { UserParams } from '../../schemas/users.js';

/** Candidates read per shared topic: with 10 indexed topics, at most 2,000 profiles are scored per request. */
const CANDIDATES_PER_TOPIC = 200;

/**
 * GET /users/:id/similar — users whose interests resemble this user's.
 *
 * Method (candidate generation, then exact scoring):
 * 1. Candidates: the read model stores each profile's top 10 positive topics in `topTopics`, indexed as a multikey
 *    index, i.e. an inverted index topic → users. For each of the user's own top topics we read at most
 *    CANDIDATES_PER_TOPIC profiles holding it. Users sharing none of each other's top topics are never candidates:
 *    their cosine could only come from minor topics, which is not what "similar" should mean here.
 * 2. Scoring: cosine similarity of the full topic vectors (top-K topics with decayed scores, dislikes included),
 *    positive scores only, best first.
 * Cost per request is bounded by topics × CANDIDATES_PER_TOPIC whatever the number of users. Both come from the hot
 * cache in Redis (src/cache/similar-users.ts: each topic's users by interest, strongest first), written with every
 * persisted profile, so results trail events by the workflow's persist debounce; from MongoDB while it is rebuilt.
 */
const similarUserRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/users/:id/similar',
    {
      schema: {
        summary: 'Users with similar interests (own profile; operators any)',
        tags: ['users'],
        params: UserParams,
        querystring: SimilarUsersQuery,
        response: { 200: SimilarUserList, ...problemResponses(400, 401, 403, 404, 429, 503) },
      },
    },
    async (request) => {
      const userId = request.params.id;
      // Who resembles whom reveals a user's interests, so it is as private as the profile itself.
      assertCanActFor(request.principal, userId);
      const { db } = await fastify.mongo.get();
      const { limit } = request.query;
      const cached = await readyIndexedVector(fastify.redis, userId);
      const items = cached.ready
        ? cached.own && (await similarUsersFromIndex(fastify.redis, cached.own, CANDIDATES_PER_TOPIC, limit))
        : await fromStore(db, userId, limit);
      if (!items) throw notFound(`No interest profile for user ${userId} yet`);
      return { items, nextCursor: null };
    },
  );

  /** While the hot cache is rebuilt: the profile by _id and the multikey topTopics index. */
  async function fromStore(db: Db, userId: string, limit: number): Promise<SimilarUser[] | null> {
    const warn = (error: unknown) => fastify.log.warn({ err: error }, 'hot cache rebuild failed');
    await rebuildHotCachesInBackground(db, fastify.redis, warn);
    const own = await interestProfilesCollection(db).findOne(
      { _id: userId },
      { projection: { topics: 1, topTopics: 1 } },
    );
    if (!own) return null;
    const others = await storedCandidates(db, userId, own.topTopics, CANDIDATES_PER_TOPIC);
    return rankSimilarUsers({ userId, topics: own.topics }, others, limit);
  }
};

export default similarUserRoutes;
