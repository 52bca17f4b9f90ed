import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { normaliseInterestTopics, MIN_ONBOARDING_INTERESTS } from '../../../domain/onboarding.js';
import { onboardingProgress, seedInterests } from '../../../workflow-clients/identity-workflows.js';
import { signalOnboardingProgress } from '../../../workflow-clients/signals.js';
import { assertCanActFor } from '../../ownership.js';
import { conflict, notFound, unprocessable } from '../../problems.js';
import { problemResponses } from '../../schemas/common.js';
import { IdentityParams, InterestsAccepted, InterestsPick, OnboardingProgress } from '../../schemas/identities.js';
import { isoOrNull } from './views.js';

/** The onboarding steps the API itself completes, and the progress query. */
const onboardingRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/identities/:id/onboarding',
    {
      schema: {
        summary: 'Onboarding progress (from the workflow query)',
        tags: ['identities'],
        params: IdentityParams,
        response: { 200: OnboardingProgress, ...problemResponses(403, 404, 429, 503) },
      },
    },
    async (request) => {
      assertCanActFor(request.principal, request.params.id);
      const { client } = await fastify.temporal.get();
      const progress = await onboardingProgress(client, request.params.id);
      if (!progress) throw notFound(`No onboarding for ${request.params.id}`);
      const { nextReminderAtMs, ...rest } = progress;
      return { ...rest, nextReminderAt: isoOrNull(nextReminderAtMs) };
    },
  );

  fastify.post(
    '/identities/:id/onboarding/interests',
    {
      schema: {
        summary: 'Pick at least three interests: completes the step and seeds the interest profile',
        tags: ['identities'],
        params: IdentityParams,
        body: InterestsPick,
        response: { 202: InterestsAccepted, ...problemResponses(400, 403, 409, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const userId = request.params.id;
      assertCanActFor(request.principal, userId);
      const topics = normaliseInterestTopics(request.body.topics);
      if (topics.length < MIN_ONBOARDING_INTERESTS) {
        const message = `Pick at least ${MIN_ONBOARDING_INTERESTS} different interests`;
        throw unprocessable(message, [{ path: '/topics', message }]);
      }
      const { client } = await fastify.temporal.get();
      // Seed first: a repeat is harmless there (per-topic event ids), and the step must not complete unseeded.
      await seedInterests(client, fastify.config, userId, topics, Date.now());
      if (!(await signalOnboardingProgress(client, userId, { kind: 'interests_picked', topics }))) {
        throw conflict(`User ${userId} has no onboarding in progress; the interests were still added to the profile`);
      }
      return reply.code(202).send({ status: 'accepted' as const, topics });
    },
  );
};

export default onboardingRoutes;
