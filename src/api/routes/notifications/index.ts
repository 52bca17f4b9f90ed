import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ListOf, PageQuery, problemResponses } from '../../schemas/common.js';
import { Notification } from '../../schemas/notifications.js';
import { notificationPage } from './page.js';

/** The caller's inbox, newest first (e.g. "a station you follow went live"). */
const notifications: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/notifications',
    {
      schema: {
        summary: "The caller's notifications, newest first",
        tags: ['notifications'],
        querystring: PageQuery,
        response: { 200: ListOf(Notification), ...problemResponses(400) },
      },
    },
    async (request) => {
      const { db } = await fastify.mongo.get();
      return notificationPage(db, request.principal?.userId ?? '', request.query);
    },
  );
};

export default notifications;
