import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rebuildHotCachesUnderLock } from '../../../cache/rebuild.js';
import { redisKeys } from '../../../store/redis-keys.js';
import { requireRole } from '../../principal.js';
import { conflict } from '../../problems.js';
import { HotCacheRebuild, HotCacheStatus } from '../../schemas/cache.js';
import { problemResponses } from '../../schemas/common.js';

/**
 * Operators' view of the hot read structures (src/cache): whether they are complete, and a rebuild from MongoDB.
 * Request paths start a rebuild by themselves when they find the cache missing; this one waits for it.
 */
const cacheRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const operatorOnly = { preHandler: requireRole('operator') };

  fastify.get(
    '/cache',
    {
      ...operatorOnly,
      schema: {
        summary: 'Whether the hot read cache is complete (operators)',
        tags: ['operations'],
        response: { 200: HotCacheStatus, ...problemResponses(401, 403, 429, 503) },
      },
    },
    async () => {
      const builtAt = await fastify.redis.get(redisKeys.hot.built);
      return { ready: builtAt !== null, builtAt: builtAt === null ? null : new Date(Number(builtAt)).toISOString() };
    },
  );

  fastify.post(
    '/cache/rebuild',
    {
      ...operatorOnly,
      schema: {
        summary: 'Rebuild the hot read cache from MongoDB and wait for it (operators)',
        description:
          'Requests read MongoDB until it completes. Leaderboards and trending are rebuilt as part of it. One rebuild ' +
          'runs at a time (API processes and `npm run ops -- rebuild-caches`): a running one is waited for ' +
          '(`CACHE_REBUILD_WAIT_MS`), then 409.',
        tags: ['operations'],
        response: { 200: HotCacheRebuild, ...problemResponses(401, 403, 409, 429, 503) },
      },
    },
    async () => {
      const { db } = await fastify.mongo.get();
      const counts = await rebuildHotCachesUnderLock(db, fastify.redis, fastify.config.CACHE_REBUILD_WAIT_MS);
      if (counts === null) throw conflict('Another rebuild of the hot cache is running; GET /api/v1/cache says when it is done'); // prettier-ignore
      return counts;
    },
  );
};

export default cacheRoutes;
