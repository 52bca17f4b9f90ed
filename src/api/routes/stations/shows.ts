import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { showId } from '../../../workflow-clients/show-ids.js';
import { stationSchedule } from '../../../workflow-clients/station-updates.js';
import {
  cancelShowUpdate,
  endLiveUpdate,
  goLiveUpdate,
  rescheduleUpdate,
  scheduleShowUpdate,
} from '../../../../workflows/tv-station/messages.js';
import { unprocessable } from '../../problems.js';
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
const newShowId = (stationId: string, idempotencyKey: string | undefined): string =>
  showId(idempotencyKey === undefined ? undefined : `${stationId}\n${idempotencyKey}`);

// Every refusal the station's rules can give, for the OpenAPI document.
const scheduleProblems = problemResponses(400, 403, 404, 409, 422);

/** A station's schedule: every change is an update of its workflow, which checks it against the schedule. */
const shows: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/stations/:stationId/schedule',
    {
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
      schema: {
        summary: 'Go live now: an unscheduled show, or a scheduled one started early',
        description:
          'With showId (a scheduled show): it starts now; a given title replaces its title; a given durationMinutes ' +
          'ends it that long from now, otherwise it keeps its planned end (or, booked too far ahead for that, its ' +
          'planned length). Without showId: an unscheduled show with the given title and durationMinutes.',
        tags: ['stations'],
        headers: IdempotencyKeyHeaders,
        params: StationParams,
        body: GoLive,
        response: { 201: Show, ...scheduleProblems },
      },
    },
    async (request, reply) => {
      const station = await ownedStation(fastify, request.principal, request.params.stationId);
      const { title, durationMinutes, showId: bookedShowId } = request.body;
      if (!bookedShowId) {
        const missing = (['title', 'durationMinutes'] as const).filter((field) => request.body[field] === undefined);
        if (missing.length > 0) {
          throw unprocessable(
            'An unscheduled show needs a title and durationMinutes',
            missing.map((field) => ({ path: `/${field}`, message: 'is required without showId' })),
          );
        }
      }
      const show = await changeSchedule(fastify, station, goLiveUpdate, {
        showId: bookedShowId ?? newShowId(station._id, request.headers['idempotency-key']),
        ...(title === undefined ? {} : { title }),
        ...(durationMinutes === undefined ? {} : { durationMs: durationMinutes * MINUTE_MS }),
      });
      return reply.code(201).send(show);
    },
  );

  fastify.post(
    '/stations/:stationId/live/end',
    {
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
