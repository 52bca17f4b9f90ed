import { createHash, randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { DUPLICATE_KEY } from '../../../store/mongo-errors.js';
import {
  findStation,
  insertStation,
  listStations,
  updateStationDetails,
  type StationDoc,
} from '../../../store/stations.js';
import { viewerCounts, type ViewerCounts } from '../../../store/viewers.js';
import { assertCanActFor } from '../../ownership.js';
import { requireRole } from '../../principal.js';
import { decodeCursor, encodeCursor, IdempotencyKeyHeaders, ListOf, problemResponses } from '../../schemas/common.js';
import { Station, StationCreate, StationListQuery, StationParams, StationPatch } from '../../schemas/stations.js';
import archiveRoutes from './archive.js';
import showRoutes from './shows.js';
import viewerRoutes from './viewers.js';
import { existingStation, ownedStation, stationView } from './views.js';

const isPosition = (value: unknown): value is { after: string } =>
  typeof value === 'object' && value !== null && typeof (value as { after?: unknown }).after === 'string';

/** A retried create with the same Idempotency-Key names the same station, so it cannot create a second one. */
function newStationId(ownerId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return `st_${randomUUID().replace(/-/g, '')}`;
  return `st_${createHash('sha256').update(`${ownerId}\n${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

/** Live counts for a live station; Redis being down degrades to no counts, never to an error. */
async function liveViewers(fastify: FastifyInstance, station: StationDoc): Promise<ViewerCounts | null> {
  if (station.status !== 'live') return null;
  const clock = { nowMs: Date.now(), timeoutMs: fastify.config.VIEWER_TIMEOUT_MS };
  return viewerCounts(fastify.redis, station._id, clock).catch((error: unknown) => {
    fastify.log.warn({ err: error, stationId: station._id }, 'viewer counts unavailable');
    return null;
  });
}

/** TV stations: a creator's channel, its schedule (shows.ts) and its live audience (viewers.ts). */
const stations: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/stations',
    {
      preHandler: requireRole('creator', 'operator', 'service'),
      schema: {
        summary: 'Create a station owned by a creator',
        tags: ['stations'],
        headers: IdempotencyKeyHeaders,
        body: StationCreate,
        response: { 201: Station, ...problemResponses(400, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const ownerId = request.body.ownerId ?? request.principal?.userId ?? '';
      assertCanActFor(request.principal, ownerId);
      const { db } = await fastify.mongo.get();
      const now = new Date();
      const doc: StationDoc = {
        _id: newStationId(ownerId, request.headers['idempotency-key']),
        ownerId,
        name: request.body.name,
        description: request.body.description ?? '',
        createdAt: now,
        updatedAt: now,
        status: 'offline',
        liveShow: null,
        nextShowAt: null,
      };
      try {
        await insertStation(db, doc);
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        const stored = await findStation(db, doc._id);
        if (!stored) throw error;
        return reply.code(201).send(stationView(stored, null));
      }
      return reply.code(201).send(stationView(doc, null));
    },
  );

  fastify.get(
    '/stations',
    {
      schema: {
        summary: 'List stations; ?live=true lists what is on air now, with current viewers',
        tags: ['stations'],
        querystring: StationListQuery,
        response: { 200: ListOf(Station), ...problemResponses(400) },
      },
    },
    async (request) => {
      const { limit, cursor, live, ownerId } = request.query;
      const after = cursor ? decodeCursor(cursor, isPosition).after : null;
      const { db } = await fastify.mongo.get();
      const docs = await listStations(db, { live, ownerId }, after, limit + 1);
      const page = docs.slice(0, limit);
      const items = await Promise.all(page.map(async (doc) => stationView(doc, await liveViewers(fastify, doc))));
      const last = page.at(-1);
      return { items, nextCursor: docs.length > limit && last ? encodeCursor({ after: last._id }) : null };
    },
  );

  fastify.get(
    '/stations/:stationId',
    {
      schema: {
        summary: 'A station, with its live show and viewers when on air',
        tags: ['stations'],
        params: StationParams,
        response: { 200: Station, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const station = await existingStation(fastify, request.params.stationId);
      return stationView(station, await liveViewers(fastify, station));
    },
  );

  fastify.patch(
    '/stations/:stationId',
    {
      schema: {
        summary: "Change a station's name or description (its owner only)",
        tags: ['stations'],
        params: StationParams,
        body: StationPatch,
        response: { 200: Station, ...problemResponses(400, 403, 404, 422) },
      },
    },
    async (request) => {
      const station = await ownedStation(fastify, request.principal, request.params.stationId);
      const { db } = await fastify.mongo.get();
      const updated = await updateStationDetails(db, station._id, request.body, new Date());
      const current = updated ?? station;
      return stationView(current, await liveViewers(fastify, current));
    },
  );

  await fastify.register(showRoutes);
  await fastify.register(archiveRoutes);
  await fastify.register(viewerRoutes);
};

export default stations;
