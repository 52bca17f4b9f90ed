import { createHmac } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { listOpenVerifications } from '../../../workflow-clients/identity-workflows.js';
import { requireRole } from '../../principal.js';
import {
  Cursor,
  decodeCursor,
  encodeCursor,
  Id,
  IsoDateTime,
  Limit,
  ListOf,
  problemResponses,
} from '../../schemas/common.js';

const OpenStatus = Type.Union([Type.Literal('pending'), Type.Literal('escalated')]);
type OpenStatus = 'pending' | 'escalated';

const QueueQuery = Type.Object({
  status: Type.Union([Type.Literal('pending'), Type.Literal('escalated')], { default: 'pending' }),
  limit: Limit,
  cursor: Type.Optional(Cursor),
});

const QueueItem = Type.Object({
  userId: Id,
  status: OpenStatus,
  workflowId: Type.String(),
  requestedAt: IsoDateTime,
});

/**
 * A cursor carries Temporal's page token, the status it pages (so it is not replayed on the other list) and a MAC
 * of both: Temporal answers a token it did not issue with a generic error, so a forged one must be refused here.
 * 128 bits of MAC are plenty and keep the cursor well under Cursor's 512 characters (332 on the dev server).
 */
interface QueuePosition {
  status: OpenStatus;
  page: string;
  mac: string;
}

/**
 * The operators' queue of open verification requests, read from Temporal visibility (VerificationStatus), the same
 * list an operator gets in the UI, newest first and paged with Temporal's own page token inside the cursor.
 */
const verificationQueueRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const mac = (status: OpenStatus, page: string) =>
    createHmac('sha256', fastify.config.JWT_SECRET)
      .update(`verifications:${status}:${page}`)
      .digest('base64url')
      .slice(0, 22);
  const isPositionFor =
    (status: OpenStatus) =>
    (value: unknown): value is QueuePosition => {
      const position = value as Partial<QueuePosition> | null;
      return (
        typeof position?.page === 'string' &&
        position.status === status &&
        typeof position.mac === 'string' &&
        position.mac === mac(status, position.page)
      );
    };

  fastify.get(
    '/verifications',
    {
      preHandler: requireRole('operator'),
      schema: {
        summary: 'Open verification requests by status (operators)',
        tags: ['identities'],
        querystring: QueueQuery,
        response: { 200: ListOf(QueueItem), ...problemResponses(400, 403, 422, 429, 503) },
      },
    },
    async (request) => {
      const { status, limit, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, isPositionFor(status)) : null;
      const { client } = await fastify.temporal.get();
      const page = await listOpenVerifications(
        client,
        status,
        limit,
        after ? Buffer.from(after.page, 'base64url') : null,
      );
      const next = page.nextPageToken && Buffer.from(page.nextPageToken).toString('base64url');
      return {
        items: page.items.map((v) => ({ ...v, requestedAt: v.requestedAt.toISOString() })),
        nextCursor: next ? encodeCursor({ status, page: next, mac: mac(status, next) }) : null,
      };
    },
  );
};

export default verificationQueueRoutes;
