import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { boardPeriod } from '../../../domain/leaderboards.js';
import { utcDay } from '../../../domain/utc-day.js';
import type { FastifyInstance } from 'fastify';
import { hotCachesReady, rebuildHotCachesInBackground } from '../../../cache/rebuild.js';
import {
  ensureLeaderboards,
  leaderboardKey,
  readLeaderboard,
  rebuildLeaderboards,
} from '../../../store/leaderboards.js';
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
  const rebuildMissingBoards = () => rebuildMissingBoardsOf(fastify);
  fastify.get(
    '/leaderboards/:board',
    {
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
      if (!(await hotCachesReady(fastify.redis))) await rebuildMissingBoards();
      const { entries, more } = await readLeaderboard(fastify.redis, key, offset, limit);
      return { items: entries, nextCursor: more ? encodeCursor({ offset: offset + limit }) : null };
    },
  );

  fastify.post(
    '/leaderboards/rebuild',
    {
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

/**
 * Redis lost its data: the boards come back from creator_stats before this answer (a read bounded by the number of
 * creators), the rest of the hot cache in the background.
 */
async function rebuildMissingBoardsOf(fastify: FastifyInstance): Promise<void> {
  const { db } = await fastify.mongo.get();
  await rebuildHotCachesInBackground(db, fastify.redis, (error) =>
    fastify.log.warn({ err: error }, 'hot cache rebuild failed'),
  );
  await ensureLeaderboards(db, fastify.redis, Date.now());
}

export default leaderboards;
