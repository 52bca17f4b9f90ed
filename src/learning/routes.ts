import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { requireRole } from '../api/principal.js';
import { problemResponses } from '../api/schemas/common.js';
import { onlineMetricsReport, reportOnlineMetricsFrom } from './online-metrics.js';

const Bucket = Type.Union([Type.Literal('total'), Type.Literal('hour'), Type.Literal('day')]);
const Query = Type.Object(
  {
    sinceHours: Type.Number({
      exclusiveMinimum: 0,
      maximum: 24 * 90,
      default: 24,
      description: 'How many hours back to join impressions with feedback (at most 90 days)',
    }),
    bucket: Type.Union(Bucket.anyOf, {
      default: 'total',
      description:
        '`total`: one row per model version and arm over the window; `hour` / `day`: one row per model version, arm ' +
        'and UTC hour or day, the series a chart plots (`npm run ops -- model-metrics` draws it)',
    }),
  },
  { additionalProperties: false },
);
const Row = Type.Object({
  modelVersion: Type.String(),
  arm: Type.String(),
  bucketStart: Type.Optional(Type.String({ format: 'date-time', description: 'Start of the hour or UTC day' })),
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
  bucket: Bucket,
  serving: Type.Object({ current: Pointer, candidate: Pointer, candidateShare: Type.Number() }),
  rows: Type.Array(Row),
});

/**
 * GET /learning/online-metrics (operators): per model version and arm — or per hour or day with `bucket`, the
 * series a dashboard plots — the joined impressions' engagement rate at k, like/share/skip rates, pages and items; and
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
      const serving = { modelPath: fastify.config.RANKING_MODEL_PATH, candidateShare: fastify.config.MODEL_CANDIDATE_SHARE }; // prettier-ignore
      return onlineMetricsReport(db, serving, Date.now() - request.query.sinceHours * 3_600_000, request.query.bucket);
    },
  );
};

export default learningRoutes;
