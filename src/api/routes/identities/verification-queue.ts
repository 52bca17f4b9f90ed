import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { listOpenVerifications } from '../../../temporal/identity-workflows.js';
import { requireRole } from '../../principal.js';
import { Id, IsoDateTime, Limit, ListOf, problemResponses } from '../../schemas/common.js';

const QueueQuery = Type.Object({
  status: Type.Union([Type.Literal('pending'), Type.Literal('escalated')], { default: 'pending' }),
  limit: Limit,
});

const QueueItem = Type.Object({
  userId: Id,
  status: Type.Union([Type.Literal('pending'), Type.Literal('escalated')]),
  workflowId: Type.String(),
  requestedAt: IsoDateTime,
});

/**
 * The operators' queue of open verification requests, read from Temporal visibility (VerificationStatus), the same
 * list an operator gets in the UI. One page only: nextCursor is always null, the oldest requests come last.
 */
const verificationQueueRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/verifications',
    {
      onRequest: fastify.authenticate,
      preHandler: requireRole('operator'),
      schema: {
        summary: 'Open verification requests by status (operators)',
        tags: ['identities'],
        querystring: QueueQuery,
        response: { 200: ListOf(QueueItem), ...problemResponses(400, 403, 422, 429, 503) },
      },
    },
    async (request) => {
      const { client } = await fastify.temporal.get();
      const open = await listOpenVerifications(client, request.query.status, request.query.limit);
      return { items: open.map((v) => ({ ...v, requestedAt: v.requestedAt.toISOString() })), nextCursor: null };
    },
  );
};

export default verificationQueueRoutes;
