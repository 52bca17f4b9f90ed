import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OPERATORS_RECIPIENT } from '../../../store/notifications.js';
import { assertCanActFor } from '../../ownership.js';
import { requireRole } from '../../principal.js';
import { IdentityParams } from '../../schemas/identities.js';
import { ListOf, PageQuery, problemResponses } from '../../schemas/common.js';
import { Notification } from '../../schemas/notifications.js';
import { notificationPage } from '../notifications/page.js';

/**
 * The notification records workflows write (onboarding reminders, verification outcomes, escalations to operators),
 * newest first, paged like the caller's own inbox (GET /notifications).
 */
const notificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  async function page(recipient: string, query: PageQuery) {
    const { db } = await fastify.mongo.get();
    return notificationPage(db, recipient, query);
  }

  fastify.get(
    '/identities/:id/notifications',
    {
      schema: {
        summary: "A user's latest notifications",
        tags: ['identities'],
        params: IdentityParams,
        querystring: PageQuery,
        response: { 200: ListOf(Notification), ...problemResponses(400, 403, 422, 429) },
      },
    },
    async (request) => {
      assertCanActFor(request.principal, request.params.id);
      return page(request.params.id, request.query);
    },
  );

  fastify.get(
    '/operator-notifications',
    {
      preHandler: requireRole('operator'),
      schema: {
        summary: 'Latest notifications for operators (e.g. escalated verification requests)',
        tags: ['identities'],
        querystring: PageQuery,
        response: { 200: ListOf(Notification), ...problemResponses(400, 403, 422, 429) },
      },
    },
    async (request) => page(OPERATORS_RECIPIENT, request.query),
  );
};

export default notificationRoutes;
