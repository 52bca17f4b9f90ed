import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { InterestProfile } from '../../../domain/interest-profile.js';
import { loadInterestProfile } from '../../../store/interest-profiles.js';
import { redisKeys } from '../../../store/redis-keys.js';
import { assertCanActFor } from '../../ownership.js';
import { notFound } from '../../problems.js';
import { problemResponses } from '../../schemas/common.js';
import { InterestProfileView, UserParams } from '../../schemas/users.js';
import { interestProfileView } from './interest-view.js';
import similarUserRoutes from './similar.js';

const userRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  await fastify.register(similarUserRoutes);

  fastify.get(
    '/users/:id/interests',
    {
      schema: {
        summary: "A user's interest profile (own profile; operators any)",
        tags: ['users'],
        params: UserParams,
        response: { 200: InterestProfileView, ...problemResponses(400, 401, 403, 404, 429, 503) },
      },
    },
    async (request) => {
      assertCanActFor(request.principal, request.params.id);
      const profile = await readProfile(request.params.id);
      if (!profile) throw notFound(`No interest profile for user ${request.params.id} yet`);
      return interestProfileView(profile);
    },
  );

  /** The hot cache first; Mongo (the system of record) when Redis misses or is down. */
  async function readProfile(userId: string): Promise<InterestProfile | null> {
    const cached = await fastify.redis.get(redisKeys.interestProfile(userId)).catch(() => null);
    if (cached) return JSON.parse(cached) as InterestProfile;
    const { db } = await fastify.mongo.get();
    return loadInterestProfile(db, userId);
  }
};

export default userRoutes;
