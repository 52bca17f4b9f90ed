import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readProfile } from '../../../cache/profiles.js';
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
      const { db } = await fastify.mongo.get();
      const profile = await readProfile({ db, redis: fastify.redis }, request.params.id);
      if (!profile) throw notFound(`No interest profile for user ${request.params.id} yet`);
      return interestProfileView(profile);
    },
  );
};

export default userRoutes;
