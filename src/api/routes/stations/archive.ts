import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { showsOfStation } from '../../../store/shows.js';
import { decodeCursor, encodeCursor, ListOf, PageQuery, problemResponses } from '../../schemas/common.js';
import { ArchivedShow, StationParams } from '../../schemas/stations.js';
import { existingStation } from './views.js';

const isPosition = (value: unknown): value is { startMs: number; id: string } =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as { startMs?: unknown }).startMs) &&
  typeof (value as { id?: unknown }).id === 'string';

/** Shows that left the station workflow's state: the Mongo archive, with the viewer statistics of each. */
const archive: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/stations/:stationId/shows',
    {
      schema: {
        summary: 'Finished shows (ended, cancelled, missed) with their viewer statistics, latest first',
        tags: ['stations'],
        params: StationParams,
        querystring: PageQuery,
        response: { 200: ListOf(ArchivedShow), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const station = await existingStation(fastify, request.params.stationId);
      const { limit, cursor } = request.query;
      const { db } = await fastify.mongo.get();
      const docs = await showsOfStation(db, station._id, cursor ? decodeCursor(cursor, isPosition) : null, limit + 1);
      const page = docs.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((d) => ({
          showId: d._id,
          title: d.title,
          status: d.status,
          startAt: d.startAt.toISOString(),
          endAt: d.endAt.toISOString(),
          wentLiveAt: d.wentLiveAt?.toISOString() ?? null,
          finishedAt: d.finishedAt?.toISOString() ?? null,
          stats: d.stats ?? null,
        })),
        nextCursor:
          docs.length > limit && last ? encodeCursor({ startMs: last.startAt.getTime(), id: last._id }) : null,
      };
    },
  );
};

export default archive;
