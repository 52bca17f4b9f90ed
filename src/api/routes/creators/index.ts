import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { scoreBreakdown, type MetricCounters } from '../../../domain/creator-score.js';
import { addDays, DAY_MS, dayStartMs, utcDay } from '../../../domain/utc-day.js';
import { creatorSnapshots } from '../../../store/creator-snapshots.js';
import { loadCreatorStats } from '../../../store/creator-stats.js';
import { recordTip } from '../../../workflow-clients/tips.js';
import { requireRole } from '../../principal.js';
import { notFound, unprocessable } from '../../problems.js';
import { decodeCursor, encodeCursor, problemResponses } from '../../schemas/common.js';
import { CreatorParams, CreatorStatsReply, SnapshotList, SnapshotQuery } from '../../schemas/creators.js';
import { TipInput, TipReply } from '../../schemas/tips.js';

/** Snapshot ranges default to the score window (28 days) and are capped at a year, so a page query stays indexed. */
const DEFAULT_RANGE_DAYS = 28;
const MAX_RANGE_DAYS = 366;

const isAfterDay = (v: unknown): v is { after: string } =>
  typeof v === 'object' && v !== null && typeof (v as { after?: unknown }).after === 'string';

const counters = (c: MetricCounters): MetricCounters => ({
  views: c.views,
  likes: c.likes,
  shares: c.shares,
  comments: c.comments,
  tips: c.tips,
  tipAmount: c.tipAmount,
  followersGained: c.followersGained,
  followersLost: c.followersLost,
  watchTimeSeconds: c.watchTimeSeconds,
});

/**
 * Creator stats as the workflow last published them (debounced by CREATOR_PERSIST_DEBOUNCE_MS; `updatedAt` says
 * when) and the daily snapshots. Creator stats are public, so any signed-in caller may read them.
 */
const creators: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/creators/:id/stats',
    {
      schema: {
        summary: "A creator's score, tier, totals and today's counters",
        tags: ['creators'],
        params: CreatorParams,
        response: { 200: CreatorStatsReply, ...problemResponses(400, 404, 429, 503) },
      },
    },
    async (request) => {
      const { db } = await fastify.mongo.get();
      const doc = await loadCreatorStats(db, request.params.id);
      if (!doc) throw notFound(`No stats for creator ${request.params.id} yet`);
      const { stats } = doc;
      return {
        creatorId: doc._id,
        score: stats.score,
        tier: stats.tier,
        scoreBreakdown: scoreBreakdown(stats),
        followers: stats.followers,
        totals: counters(stats.totals),
        today: { day: stats.today.day, counters: counters(stats.today) },
        lastEventAt: stats.lastEventAtMs === null ? null : new Date(stats.lastEventAtMs).toISOString(),
        updatedAt: doc.updatedAt.toISOString(),
      };
    },
  );

  fastify.get(
    '/creators/:id/snapshots',
    {
      schema: {
        summary: 'Daily snapshots (one per UTC day, written at 00:00 UTC), oldest first',
        description: `from and to are inclusive UTC days; default the last ${DEFAULT_RANGE_DAYS} days, at most ${MAX_RANGE_DAYS}.`,
        tags: ['creators'],
        params: CreatorParams,
        querystring: SnapshotQuery,
        response: { 200: SnapshotList, ...problemResponses(400, 429, 503) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const to = request.query.to ?? utcDay(Date.now());
      const from = request.query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
      checkRange(from, to);
      const afterDay = cursor === undefined ? undefined : decodeCursor(cursor, isAfterDay).after;
      const { db } = await fastify.mongo.get();
      const page = await creatorSnapshots(db, request.params.id, { from, to, afterDay }, limit + 1);
      const items = page.slice(0, limit).map((s) => ({
        day: s.day,
        counters: counters(s.counters),
        totals: counters(s.totals),
        followers: s.followers,
        score: s.score,
        tier: s.tier,
      }));
      const last = items[items.length - 1];
      return { items, nextCursor: page.length > limit && last ? encodeCursor({ after: last.day }) : null };
    },
  );

  fastify.post(
    '/creators/:id/tips',
    {
      preHandler: requireRole('service'),
      schema: {
        summary: 'Record a paid tip to creator :id (service role: the payments backend, after taking the money)',
        description:
          'The only way tips reach creator stats (docs/events.md). Idempotent on tipId. Client tip events do not move tips.',
        tags: ['creators'],
        params: CreatorParams,
        body: TipInput,
        response: { 201: TipReply, ...problemResponses(400, 401, 403, 404, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const { db } = await fastify.mongo.get();
      const { client } = await fastify.temporal.get();
      const { tipId, fromUserId, amountMinor, currency } = request.body;
      const tip = await recordTip(
        { db, redis: fastify.redis, temporal: client, config: fastify.config },
        { tipId, from: fromUserId, to: request.params.id, amountMinor, currency },
        new Date(),
      );
      return reply.code(201).send({
        tipId: tip._id,
        fromUserId: tip.from,
        toUserId: tip.to,
        amountMinor: tip.amountMinor,
        currency: tip.currency,
        createdAt: tip.createdAt.toISOString(),
      });
    },
  );
};

/** The days themselves are checked by the schema's `date` format (real calendar days); this checks the range. */
function checkRange(from: string, to: string): void {
  if (from > to) throw unprocessable('from must not be after to', [{ path: '/from', message: 'is after to' }]);
  if ((dayStartMs(to) - dayStartMs(from)) / DAY_MS >= MAX_RANGE_DAYS) {
    throw unprocessable(`A range covers at most ${MAX_RANGE_DAYS} days`, [
      { path: '/from', message: 'is too far back' },
    ]);
  }
}

export default creators;
