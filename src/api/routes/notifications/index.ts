import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  isNotificationPosition,
  notificationPosition,
  notificationsPage,
} from '../../../store/notification-batches.js';
import { decodeCursor, encodeCursor, ListOf, PageQuery, problemResponses } from '../../schemas/common.js';
import { Notification } from '../../schemas/notifications.js';

/** The caller's inbox, newest first (e.g. "a station you follow went live"). */
const notifications: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/notifications',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: "The caller's notifications, newest first",
        tags: ['notifications'],
        querystring: PageQuery,
        response: { 200: ListOf(Notification), ...problemResponses(400) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, isNotificationPosition) : null;
      const { db } = await fastify.mongo.get();
      const docs = await notificationsPage(db, request.principal?.userId ?? '', after, limit + 1);
      const page = docs.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((d) => ({
          id: d._id,
          kind: d.kind,
          title: d.title,
          body: d.body,
          data: d.data,
          createdAt: d.createdAt.toISOString(),
          readAt: d.readAt?.toISOString() ?? null,
        })),
        nextCursor: docs.length > limit && last ? encodeCursor({ ...notificationPosition(last) }) : null,
      };
    },
  );
};

export default notifications;
