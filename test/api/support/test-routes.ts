import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { assertCanActFor } from '../../../src/api/ownership.js';
import { requireRole } from '../../../src/api/principal.js';
import { conflict } from '../../../src/api/problems.js';
import { decodeCursor, encodeCursor, Id, PageQuery } from '../../../src/api/schemas/common.js';

const isPosition = (value: unknown): value is { after: string } =>
  typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string';

export const LIMITED_ROUTE_MAX = 3;

const EventBatch = Type.Object(
  {
    events: Type.Array(Type.Object({ type: Type.Union([Type.Literal('view'), Type.Literal('like')]), contentId: Id }), {
      minItems: 1,
    }),
  },
  { additionalProperties: false },
);

/** Routes that exist only in the tests, registered after the app so they share its error handler, auth and limits. */
export const testRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/test/events', { schema: { body: EventBatch } }, async (request) => ({
    accepted: request.body.events.length,
  }));

  fastify.get(
    '/test/items/:id',
    { schema: { params: Type.Object({ id: Id }), querystring: PageQuery } },
    async (request) => ({
      id: request.params.id,
      limit: request.query.limit,
    }),
  );

  fastify.get(
    '/test/operators-only',
    { onRequest: fastify.authenticate, preHandler: requireRole('operator') },
    async () => ({
      ok: true,
    }),
  );

  fastify.put(
    '/test/users/:userId/settings',
    { onRequest: fastify.authenticate, schema: { params: Type.Object({ userId: Id }) } },
    async (request) => {
      assertCanActFor(request.principal, request.params.userId);
      return { actor: request.principal.userId, roles: request.principal.roles };
    },
  );

  fastify.get('/test/boom', async () => {
    throw new Error('connection string mongodb://admin:hunter2@db leaked');
  });

  fastify.get('/test/pages', { schema: { querystring: PageQuery } }, async (request) => {
    const { cursor } = request.query;
    const position = cursor === undefined ? { after: null } : decodeCursor(cursor, isPosition);
    return { position, next: encodeCursor({ after: 'item-20' }) };
  });

  fastify.get('/test/dependency-down', async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:27017'), { name: 'MongoServerSelectionError' });
  });

  fastify.get('/test/conflict', async () => {
    throw conflict('That handle is taken', { existingId: 'u-42' });
  });

  fastify.get(
    '/test/limited',
    { config: { rateLimit: { max: LIMITED_ROUTE_MAX, timeWindow: 60_000 } } },
    async (request) => ({
      caller: request.principal?.userId ?? 'anonymous',
    }),
  );
};
