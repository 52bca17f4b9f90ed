import { createHash, randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { stationSchedule } from '../../../temporal/station-updates.js';
import {
  cancelShowUpdate,
  endLiveUpdate,
  goLiveUpdate,
  rescheduleUpdate,
  scheduleShowUpdate,
} from '../../../../workflows/tv-station/messages.js';
import { IdempotencyKeyHeaders, problemResponses } from '../../schemas/common.js';
import {
  EndLive,
  GoLive,
  Schedule,
  Show,
  ShowCreate,
  ShowParams,
  ShowReschedule,
  StationParams,
} from '../../schemas/stations.js';
import { changeSchedule, existingStation, ownedStation, showView } from './views.js';

const MINUTE_MS = 60_000;

/** With an Idempotency-Key the show id is derived from it, so the workflow sees a retry as the same show. */
function newShowId(stationId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return `sh_${randomUUID().replace(/-/g, '')}`;
  return `sh_${createHash('sha256').update(`${stationId}\n${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}

// Every refusal the station's rules can give, for the OpenAPI document.
const scheduleProblems = problemResponses(400, 403, 404, 409, 422);

/** A station's schedule: every change is an update of its workflow, which checks it against the schedule. */
const shows: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/stations/:stationId/schedule',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'Upcoming, live and recently finished shows',
        tags: ['stations'],
        params: StationParams,
        response: { 200: Schedule, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const station = await existingStation(fastify, request.params.stationId);
      const { client } = await fastify.temporal.get();
      const view = await stationSchedule(client, station._id);
      return { stationId: station._id, status: view?.status ?? 'offline', shows: (view?.shows ?? []).map(showView) };
    },
  );

  fastify.post(
    '/stations/:stationId/shows',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'Schedule a show (rejects overlaps, starts in the past and absurd durations, saying why)',
        tags: ['stations'],
        headers: IdempotencyKeyHeaders,
        params: StationParams,
        body: ShowCreate,
        response: { 201: Show, ...scheduleProblems },
      },
    },
    async (request, reply) => {
      const station = await ownedStation(fastify, request.principal, request.params.stationId);
      const { title, startAt, durationMinutes } = request.body;
      const show = await changeSchedule(fastify, station, scheduleShowUpdate, {
        showId: newShowId(station._id, request.headers['idempotency-key']),
        title,
        startMs: Date.parse(startAt),
        durationMs: durationMinutes * MINUTE_MS,
      });
      return reply.code(201).send(show);
    },
  );

  fastify.patch(
    '/stations/:stationId/shows/:showId',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'Move a scheduled show',
        tags: ['stations'],
        params: ShowParams,
        body: ShowReschedule,
        response: { 200: Show, ...scheduleProblems },
      },
    },
    async (request) => {
      const station = await ownedStation(fastify, request.principal, request.params.stationId);
      const { startAt, durationMinutes } = request.body;
      return changeSchedule(fastify, station, rescheduleUpdate, {
        showId: request.params.showId,
        startMs: Date.parse(startAt),
        ...(durationMinutes === undefined ? {} : { durationMs: durationMinutes * MINUTE_MS }),
      });
    },
  );

  fastify.delete(
    '/stations/:stationId/shows/:showId',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'Cancel a scheduled show',
        tags: ['stations'],
        params: ShowParams,
        response: { 200: Show, ...scheduleProblems },
      },
    },
    async (request) => {
      const station = await ownedStation(fastify, request.principal, request.params.stationId);
      return changeSchedule(fastify, station, cancelShowUpdate, { showId: request.params.showId });
    },
  );

  fastify.post(
    '/stations/:stationId/live',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'Go live now: an unscheduled show, or a scheduled one started early',
        tags: ['stations'],
        headers: IdempotencyKeyHeaders,
        params: StationParams,
        body: GoLive,
        response: { 201: Show, ...scheduleProblems },
      },
    },
    async (request, reply) => {
      const station = await ownedStation(fastify, request.principal, request.params.stationId);
      const { title, durationMinutes, showId } = request.body;
      const show = await changeSchedule(fastify, station, goLiveUpdate, {
        showId: showId ?? newShowId(station._id, request.headers['idempotency-key']),
        title,
        durationMs: durationMinutes * MINUTE_MS,
      });
      return reply.code(201).send(show);
    },
  );

  fastify.post(
    '/stations/:stationId/live/end',
    {
      onRequest: fastify.authenticate,
      schema: {
        summary: 'End the live show',
        tags: ['stations'],
        params: StationParams,
        body: EndLive,
        response: { 200: Show, ...scheduleProblems },
      },
    },
    async (request) => {
      const station = await ownedStation(fastify, request.principal, request.params.stationId);
      return changeSchedule(fastify, station, endLiveUpdate, { showId: request.body.showId ?? null });
    },
  );
};

export default shows;
