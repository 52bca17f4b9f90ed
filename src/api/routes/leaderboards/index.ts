import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { boardPeriod } from '../../../domain/leaderboards.js';
import { utcDay } from '../../../domain/utc-day.js';
import { leaderboardKey, readLeaderboard, rebuildLeaderboards } from '../../../store/leaderboards.js';
import { requireRole } from '../../principal.js';
import { decodeCursor, encodeCursor, problemResponses } from '../../schemas/common.js';
import { BoardPage, BoardParams, BoardQuery, RebuildReply } from '../../schemas/leaderboards.js';

const isOffset = (v: unknown): v is { offset: number } =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as { offset?: unknown }).offset) &&
  (v as { offset: number }).offset >= 0;

/** Creator leaderboards from Redis sorted sets; an operator can rebuild them from Mongo when Redis lost them. */
const leaderboards: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/leaderboards/:board',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'Creators ranked by score (overall or within a tier) or by views (daily, weekly)',
        description: 'Ranks are positions at read time: a page boundary may shift while scores move.',
        tags: ['leaderboards'],
        params: BoardParams,
        querystring: BoardQuery,
        response: { 200: BoardPage, ...problemResponses(400, 429, 503) },
      },
    },
    async (request) => {
      const { board } = request.params;
      const { limit, cursor } = request.query;
      const offset = cursor === undefined ? 0 : decodeCursor(cursor, isOffset).offset;
      const key = leaderboardKey(board, boardPeriod(board, request.query.day ?? utcDay(Date.now())));
      const { entries, more } = await readLeaderboard(fastify.redis, key, offset, limit);
      return { items: entries, nextCursor: more ? encodeCursor({ offset: offset + limit }) : null };
    },
  );

  fastify.post(
    '/leaderboards/rebuild',
    {
      onRequest: fastify.authenticate,
      preHandler: requireRole('operator'),
      schema: {
        summary: 'Rebuild every leaderboard from the creator_stats read model (operators)',
        tags: ['leaderboards', 'operations'],
        response: { 200: RebuildReply, ...problemResponses(403, 429, 503) },
      },
    },
    async () => {
      const { db } = await fastify.mongo.get();
      return rebuildLeaderboards(db, fastify.redis, Date.now());
    },
  );
};

export default leaderboards;
