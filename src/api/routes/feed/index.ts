import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { computeFeed } from '../../../ranking/feed.js';
import { logServedPage } from '../../../impressions/log.js';
import { servingModel, type ServingModel } from '../../../learning/model-registry.js';
import { assignArm } from '../../../learning/traffic-split.js';
import { feedPagesByModel, feedsServed, rankerFallbacks } from '../../../ranking/metrics.js';
import { resolveRanker } from '../../../ranking/rank.js';
import { currentSignals, servePage } from '../../../ranking/serve-feed.js';
import { readFeed, writeFeed, type StoredFeed } from '../../../store/feeds.js';
import { decodeCursor, encodeCursor, problemResponses } from '../../schemas/common.js';
import { FeedPage, FeedQuery } from '../../schemas/feed.js';
import learningRoutes from '../../../learning/routes.js';
import batchRunRoutes from './batch-runs.js';

/** A page position in one stored feed; `at` names the feed it was cut from (its computedAtMs). */
interface FeedPosition {
  offset: number;
  at: number;
}
const isPosition = (v: unknown): v is FeedPosition =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as { offset?: unknown }).offset) &&
  (v as { offset: number }).offset >= 0 &&
  typeof (v as { at?: unknown }).at === 'number';

/**
 * The caller's ranked feed. A fresh precomputed feed (batch scoring or a refresh) is paged from Redis; without
 * one the feed is ranked now and stored, so the next pages come from the same list. Either way the list is served
 * under the user's rules as they are at this request (serve-feed.ts): a block, a view or an opt-out made after the
 * list was ranked takes effect on the next page. A later page whose feed was
 * replaced in between continues at the same offset of the new list: a refresh may repeat or skip a few items,
 * which a feed tolerates better than going stale.
 */
const feedRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  await fastify.register(batchRunRoutes);
  await fastify.register(learningRoutes);

  fastify.get(
    '/feed',
    {
      schema: {
        summary: "The caller's ranked feed",
        description: 'The response says which ranker served (field `ranker`, header `x-ranker`) and where from.',
        tags: ['feed'],
        querystring: FeedQuery,
        response: { 200: FeedPage, ...problemResponses(400, 401, 429, 503) },
      },
      // The hottest route: V8's JSON.stringify writes a page with half the garbage of the schema-compiled
      // serializer (13 against 31 KB) at the same speed. The handler builds exactly the schema's shape (serve-feed.ts).
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      const userId = request.principal!.userId;
      const { limit, cursor } = request.query;
      const offset = cursor === undefined ? 0 : decodeCursor(cursor, isPosition).offset;
      const { config } = fastify;
      const model = await servingModel(config.RANKING_MODEL_PATH, assignArm(userId, config.MODEL_CANDIDATE_SHARE, config.MODEL_SPLIT_SALT)); // prettier-ignore
      let source: FeedPage['source'] = 'precomputed';
      const { db } = await fastify.mongo.get();
      const warn = (error: unknown, message: string) => request.log.warn({ err: error }, message);
      const deps = { db, redis: fastify.redis, warn };
      // The rules the page is served under, read beside the stored feed: one round trip for both.
      const [stored, signals] = await Promise.all([
        readFeed(fastify.redis, userId).catch(() => null),
        currentSignals(deps, userId),
      ]);
      let feed = stored;
      // A candidate-arm user's stored feed ranked by another model (batch scoring uses the current one) is re-ranked.
      if (!feed || (model.arm === 'candidate' && feed.modelVersion !== model.modelVersion)) {
        source = 'online';
        feed = await rankNow(userId, model);
      }
      const { items, more } = await servePage(deps, feed, signals, { offset, limit });
      const next = more ? encodeCursor({ offset: offset + limit, at: feed.computedAtMs }) : null;
      feedsServed.inc({ source, ranker: feed.ranker });
      feedPagesByModel.inc({ model_version: feed.modelVersion, arm: model.arm });
      const { ranker, modelVersion } = feed;
      logServedPage(fastify.redis, config, { requestId: request.id, userId, atMs: Date.now(), offset, items, ranker, modelVersion, source, arm: model.arm }); // prettier-ignore
      reply.header('x-ranker', feed.ranker).header('x-feed-source', source).header('x-model-arm', model.arm);
      return { items, nextCursor: next, ranker, source, modelVersion, arm: model.arm };
    },
  );

  async function rankNow(userId: string, model: ServingModel): Promise<StoredFeed> {
    const { db } = await fastify.mongo.get();
    const choice = await resolveRanker(model.modelPath);
    const warn = (error: unknown, message: string) => fastify.log.warn({ err: error }, message);
    const { feed, fallbackReason } = await computeFeed({ db, redis: fastify.redis, warn }, userId, choice, Date.now());
    if (fallbackReason) {
      rankerFallbacks.inc({ path: 'online' });
      fastify.log.warn({ userId, reason: fallbackReason }, 'feed ranked by the fallback ranker');
    }
    // Storing is an optimisation for the next pages; a Redis hiccup must not fail the feed. Not awaited, a round
    // trip sooner: the page's item reads follow on the same connection, which Redis answers in order, so a page with
    // items is answered after the feed is stored (an empty page has no next page to read from it).
    void writeFeed(fastify.redis, userId, feed, fastify.config.FEED_TTL_SECONDS).catch((error: unknown) =>
      fastify.log.warn({ err: error, userId }, 'feed not stored'),
    );
    return feed;
  }
};

export default feedRoutes;
