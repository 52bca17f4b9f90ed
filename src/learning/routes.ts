import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireRole } from '../api/principal.js';
import { problemResponses } from '../api/schemas/common.js';
import { ONLINE_K } from './feedback-join.js';
import { readPointer, registryDir } from './model-registry.js';
import { onlineMetrics, reportOnlineMetricsFrom } from './online-metrics.js';

const Query = Type.Object(
  {
    sinceHours: Type.Number({
      exclusiveMinimum: 0,
      maximum: 24 * 90,
      default: 24,
      description: 'How many hours back to join impressions with feedback (at most 90 days)',
    }),
    by: Type.Union([Type.Literal('model'), Type.Literal('hour')], {
      default: 'model',
      description: '`model`: one row per model version and arm; `hour`: one row per hour, the series a chart plots',
    }),
  },
  { additionalProperties: false },
);
const Row = Type.Object({
  modelVersion: Type.String(),
  arm: Type.String(),
  hour: Type.Optional(Type.String({ format: 'date-time' })),
  pages: Type.Integer(),
  items: Type.Integer(),
  engagementRateAtK: Type.Number(),
  engagedItemRate: Type.Number(),
  likeRate: Type.Number(),
  shareRate: Type.Number(),
  skipRate: Type.Number(),
});
const Pointer = Type.Union([Type.Object({ modelVersion: Type.String(), promotedAt: Type.String() }), Type.Null()]);
const Report = Type.Object({
  k: Type.Integer(),
  since: Type.String({ format: 'date-time' }),
  serving: Type.Object({ current: Pointer, candidate: Pointer, candidateShare: Type.Number() }),
  rows: Type.Array(Row),
});

/**
 * GET /learning/online-metrics (operators): per model version and arm — or per hour with `by=hour`, the series a
 * dashboard plots — the joined impressions' engagement rate at k, like/share/skip rates, pages and items; and
 * which models the registry serves. The same totals over 24 h are on /metrics as feed_online_metric.
 */
const learningRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  reportOnlineMetricsFrom(async () => (await fastify.mongo.get()).db);
  fastify.get(
    '/learning/online-metrics',
    {
      preHandler: requireRole('operator'),
      schema: {
        summary: 'Online evaluation per model version (operators)',
        tags: ['feed', 'operations'],
        querystring: Query,
        response: { 200: Report, ...problemResponses(400, 401, 403, 429, 503) },
      },
    },
    async (request) => {
      const { db } = await fastify.mongo.get();
      const sinceMs = Date.now() - request.query.sinceHours * 3_600_000;
      const dir = await registryDir(fastify.config.RANKING_MODEL_PATH);
      const [current, candidate, rows] = await Promise.all([
        dir ? readPointer(dir, 'current') : null,
        dir ? readPointer(dir, 'candidate') : null,
        onlineMetrics(db, sinceMs, request.query.by === 'hour'),
      ]);
      return {
        k: ONLINE_K,
        since: new Date(sinceMs).toISOString(),
        serving: { current, candidate, candidateShare: fastify.config.MODEL_CANDIDATE_SHARE },
        rows,
      };
    },
  );
};

export default learningRoutes;
