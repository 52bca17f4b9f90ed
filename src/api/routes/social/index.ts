import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { assertCanActFor } from '../../ownership.js';
import type { Principal } from '../../principal.js';
import { decodeCursor, encodeCursor, problemResponses } from '../../schemas/common.js';
import { ActorQuery, Block, Follow, RelatedUserList, RelatedUserQuery, UserParams } from '../../schemas/social.js';
import { relatedUsers, type RelationshipDoc } from '../../../store/relationships.js';
import { signalCreatorFollowed } from '../../../workflow-clients/signals.js';
import { block, follow, unblock, unfollow, type GraphDeps } from '../../../workflow-clients/social-graph.js';

const Undone = Type.Null({ description: 'Done (also when there was nothing to undo)' });

/** The user a graph write acts as: the caller, or `?actorId=` for operators and services (403 for anyone else). */
function actingUser(request: { query: { actorId?: string }; principal?: Principal }): string {
  const actorId = request.query.actorId ?? request.principal?.userId ?? '';
  assertCanActFor(request.principal, actorId);
  return actorId;
}

const isAfterPosition = (v: unknown): v is { after: string } =>
  typeof v === 'object' && v !== null && typeof (v as { after?: unknown }).after === 'string';

/** The social graph: follow and block another user (`:id`), and paged follower / following lists. */
const social: FastifyPluginAsyncTypebox = async (fastify) => {
  async function deps(): Promise<GraphDeps> {
    const { db } = await fastify.mongo.get();
    const { client } = await fastify.temporal.get();
    return { db, redis: fastify.redis, temporal: client, config: fastify.config };
  }
  const writeSchema = (summary: string) => ({ summary, tags: ['social'], params: UserParams, querystring: ActorQuery });

  fastify.post(
    '/users/:id/follow',
    {
      schema: {
        ...writeSchema('Follow user :id (as the caller, or as actorId for operators and services)'),
        response: { 200: Follow, 201: Follow, ...problemResponses(400, 403, 404, 409, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const actorId = actingUser(request);
      const graph = await deps();
      const { edge, created } = await follow(graph, actorId, request.params.id, new Date());
      // Onboarding's "follow a creator" step; progress is a nicety, so its failure does not fail the follow.
      if (created) {
        await signalCreatorFollowed(graph.temporal, actorId, request.params.id).catch((error: unknown) =>
          request.log.warn({ err: error }, 'onboarding progress signal failed'),
        );
      }
      return reply
        .code(created ? 201 : 200)
        .send({ followerId: edge.from, followeeId: edge.to, since: edge.createdAt.toISOString() });
    },
  );

  fastify.delete(
    '/users/:id/follow',
    {
      schema: {
        ...writeSchema('Unfollow user :id (idempotent)'),
        response: {
          204: Undone,
          ...problemResponses(400, 403, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const actorId = actingUser(request);
      await unfollow(await deps(), actorId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  fastify.post(
    '/users/:id/block',
    {
      schema: {
        ...writeSchema('Block user :id; removes follows both ways and stops them following'),
        response: { 200: Block, 201: Block, ...problemResponses(400, 403, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const actorId = actingUser(request);
      const { edge, created } = await block(await deps(), actorId, request.params.id, new Date());
      return reply
        .code(created ? 201 : 200)
        .send({ blockerId: edge.from, blockedId: edge.to, since: edge.createdAt.toISOString() });
    },
  );

  fastify.delete(
    '/users/:id/block',
    {
      schema: {
        ...writeSchema('Unblock user :id (idempotent)'),
        response: {
          204: Undone,
          ...problemResponses(400, 403, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const actorId = actingUser(request);
      await unblock(await deps(), actorId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  for (const [path, side, summary] of [
    ['/users/:id/followers', 'to', 'Users following :id, by user id'],
    ['/users/:id/following', 'from', 'Users :id follows, by user id'],
  ] as const) {
    fastify.get(
      path,
      {
        schema: {
          summary,
          tags: ['social'],
          params: UserParams,
          querystring: RelatedUserQuery,
          response: { 200: RelatedUserList, ...problemResponses(400, 429, 503) },
        },
      },
      async (request) => {
        const { limit, cursor } = request.query;
        const after = cursor === undefined ? undefined : decodeCursor(cursor, isAfterPosition).after;
        const { db } = await fastify.mongo.get();
        const page = await relatedUsers(db, 'follow', side, request.params.id, after, limit + 1);
        const other = (e: RelationshipDoc) => (side === 'to' ? e.from : e.to);
        const items = page.slice(0, limit).map((e) => ({ userId: other(e), since: e.createdAt.toISOString() }));
        const last = items[items.length - 1];
        return { items, nextCursor: page.length > limit && last ? encodeCursor({ after: last.userId }) : null };
      },
    );
  }
};

export default social;
