import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { creatorContentPage, findContent, type ContentPosition } from '../../../store/content.js';
import { idempotent } from '../../idempotency.js';
import { requireRole } from '../../principal.js';
import { notFound } from '../../problems.js';
import { decodeCursor, encodeCursor, IdempotencyKeyHeaders, problemResponses } from '../../schemas/common.js';
import {
  ContentCreate,
  ContentItem,
  ContentList,
  ContentPageQuery,
  ContentParams,
  CreatorContentParams,
} from '../../schemas/content.js';
import { addToCatalog, contentView } from './catalog.js';

const isPosition = (v: unknown): v is { at: string; id: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { at?: unknown }).at === 'string' &&
  !Number.isNaN(Date.parse((v as { at: string }).at)) &&
  typeof (v as { id?: unknown }).id === 'string';

/**
 * The content catalog: creators publish items (topics extracted on write), anyone signed in reads them. The
 * creator is always the caller: an item cannot be published in someone else's name.
 */
const contentRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/content',
    {
      preHandler: requireRole('creator'),
      schema: {
        summary: 'Publish a content item (creators); topics are extracted from the text and merged with the tags',
        tags: ['content'],
        headers: IdempotencyKeyHeaders,
        body: ContentCreate,
        response: { 201: ContentItem, ...problemResponses(400, 401, 403, 429, 503) },
      },
    },
    async (request, reply) => {
      const creatorId = request.principal!.userId;
      const key = request.headers['idempotency-key'];
      const { db } = await fastify.mongo.get();
      const result = await idempotent(db, request, 'content', async () => {
        const doc = await addToCatalog(db, fastify.redis, creatorId, request.body, new Date(), key);
        return { status: 201, body: contentView(doc) };
      });
      return reply.code(201).header('location', `/api/v1/content/${result.body.id}`).send(result.body);
    },
  );

  fastify.get(
    '/content/:id',
    {
      schema: {
        summary: 'A content item with its extracted topics',
        tags: ['content'],
        params: ContentParams,
        response: { 200: ContentItem, ...problemResponses(400, 401, 404, 429, 503) },
      },
    },
    async (request) => {
      const { db } = await fastify.mongo.get();
      const doc = await findContent(db, request.params.id);
      if (!doc) throw notFound(`No content item ${request.params.id}`);
      return contentView(doc);
    },
  );

  fastify.get(
    '/creators/:id/content',
    {
      schema: {
        summary: "A creator's content items, newest first",
        tags: ['content'],
        params: CreatorContentParams,
        querystring: ContentPageQuery,
        response: { 200: ContentList, ...problemResponses(400, 401, 429, 503) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const position = cursor === undefined ? undefined : decodeCursor(cursor, isPosition);
      const after: ContentPosition | undefined = position && { createdAt: new Date(position.at), id: position.id };
      const { db } = await fastify.mongo.get();
      // One extra item says whether there is a next page without a count.
      const docs = await creatorContentPage(db, request.params.id, after, limit + 1);
      const page = docs.slice(0, limit);
      const last = page.at(-1);
      const nextCursor =
        docs.length > limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last._id }) : null;
      return { items: page.map(contentView), nextCursor };
    },
  );
};

export default contentRoutes;
