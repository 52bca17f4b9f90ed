import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { listNotifications, OPERATORS_RECIPIENT, type NotificationDoc } from '../../../store/notifications.js';
import { assertCanActFor } from '../../ownership.js';
import { requireRole } from '../../principal.js';
import { IdentityParams } from '../../schemas/identities.js';
import { IsoDateTime, Limit, ListOf, problemResponses } from '../../schemas/common.js';

const Notification = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: IsoDateTime,
  read: Type.Boolean(),
});
const LatestQuery = Type.Object({ limit: Limit });

const view = (doc: NotificationDoc) => ({
  id: doc._id,
  kind: doc.kind,
  title: doc.title,
  body: doc.body,
  data: doc.data,
  createdAt: doc.createdAt.toISOString(),
  read: doc.readAt !== null,
});

/**
 * The notification records workflows write (onboarding reminders, verification outcomes, escalations to operators),
 * newest first. One page: nextCursor is always null.
 */
const notificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addHook('onRequest', fastify.authenticate);

  fastify.get(
    '/identities/:id/notifications',
    {
      schema: {
        summary: "A user's latest notifications",
        tags: ['identities'],
        params: IdentityParams,
        querystring: LatestQuery,
        response: { 200: ListOf(Notification), ...problemResponses(403, 422, 429) },
      },
    },
    async (request) => {
      assertCanActFor(request.principal, request.params.id);
      const { db } = await fastify.mongo.get();
      const docs = await listNotifications(db, request.params.id, request.query.limit);
      return { items: docs.map(view), nextCursor: null };
    },
  );

  fastify.get(
    '/operator-notifications',
    {
      preHandler: requireRole('operator'),
      schema: {
        summary: 'Latest notifications for operators (e.g. escalated verification requests)',
        tags: ['identities'],
        querystring: LatestQuery,
        response: { 200: ListOf(Notification), ...problemResponses(403, 422, 429) },
      },
    },
    async (request) => {
      const { db } = await fastify.mongo.get();
      const docs = await listNotifications(db, OPERATORS_RECIPIENT, request.query.limit);
      return { items: docs.map(view), nextCursor: null };
    },
  );
};

export default notificationRoutes;
