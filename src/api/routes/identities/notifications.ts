import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  isNotificationPosition,
  notificationPosition,
  notificationsPage,
} from '../../../store/notification-batches.js';
import { OPERATORS_RECIPIENT, type NotificationDoc } from '../../../store/notifications.js';
import { assertCanActFor } from '../../ownership.js';
import { requireRole } from '../../principal.js';
import { IdentityParams } from '../../schemas/identities.js';
import { decodeCursor, encodeCursor, IsoDateTime, ListOf, PageQuery, problemResponses } from '../../schemas/common.js';

const Notification = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: IsoDateTime,
  read: Type.Boolean(),
});

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
 * newest first, paged like the caller's own inbox (GET /notifications).
 */
const notificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.addHook('onRequest', fastify.authenticate);

  async function page(recipient: string, { limit, cursor }: PageQuery) {
    const after = cursor ? decodeCursor(cursor, isNotificationPosition) : null;
    const { db } = await fastify.mongo.get();
    const docs = await notificationsPage(db, recipient, after, limit + 1);
    const items = docs.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(view),
      nextCursor: docs.length > limit && last ? encodeCursor({ ...notificationPosition(last) }) : null,
    };
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
