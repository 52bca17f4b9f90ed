import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import linkRoutes from './links.js';
import notificationRoutes from './notifications.js';
import onboardingRoutes from './onboarding.js';
import preferenceRoutes from './preferences.js';
import identityProfileRoutes from './profile.js';
import verificationQueueRoutes from './verification-queue.js';
import verificationRoutes from './verification.js';

/** Unified identity (issue 9): one identity per user across the apps. */
const identityRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  await fastify.register(identityProfileRoutes);
  await fastify.register(linkRoutes);
  await fastify.register(preferenceRoutes);
  await fastify.register(onboardingRoutes);
  await fastify.register(verificationRoutes);
  await fastify.register(verificationQueueRoutes);
  await fastify.register(notificationRoutes);
};

export default identityRoutes;
