import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { findStation } from '../../../store/stations.js';
import { changeViewer, openShowViewers, type ViewerChange } from '../../../store/viewers.js';
import { ProblemError } from '../../problems.js';
import { problemResponses } from '../../schemas/common.js';
import { StationParams, ViewerCounts, ViewerRequest } from '../../schemas/stations.js';

const summaries: Record<ViewerChange, string> = {
  join: 'Start watching the live show (joining twice with one clientId counts once)',
  heartbeat: 'Still watching: a client silent for longer than the viewer timeout stops counting',
  leave: 'Stop watching',
};

/**
 * Redis lost the live marker (a restart without persistence) while Mongo says a show is on air: counting restarts
 * for that show, since Redis holds only what can be rebuilt. True when there was something to reopen.
 */
async function reopenLiveShow(fastify: FastifyInstance, stationId: string): Promise<boolean> {
  const { db } = await fastify.mongo.get();
  const station = await findStation(db, stationId);
  if (station?.status !== 'live' || !station.liveShow) return false;
  await openShowViewers(fastify.redis, stationId, station.liveShow.showId);
  return true;
}

/**
 * Viewer presence, straight to Redis (no Temporal, and Mongo only when Redis knows of no live show: this path
 * carries every viewer's traffic). A station with nothing live answers 409, whether or not it exists.
 */
const viewers: FastifyPluginAsyncTypebox = async (fastify) => {
  for (const change of ['join', 'heartbeat', 'leave'] as const) {
    fastify.post(
      `/stations/:stationId/viewers/${change}`,
      {
        schema: {
          summary: summaries[change],
          tags: ['stations'],
          params: StationParams,
          body: ViewerRequest,
          response: { 200: ViewerCounts, ...problemResponses(400, 409, 422) },
        },
      },
      async (request) => {
        const { stationId } = request.params;
        const viewer = { userId: request.principal?.userId ?? '', clientId: request.body.clientId };
        const clock = { nowMs: Date.now(), timeoutMs: fastify.config.VIEWER_TIMEOUT_MS };
        let counts = await changeViewer(fastify.redis, stationId, viewer, change, clock);
        if (!counts && (await reopenLiveShow(fastify, stationId))) {
          counts = await changeViewer(fastify.redis, stationId, viewer, change, clock);
        }
        if (!counts) {
          throw new ProblemError(409, 'station-not-live', 'Conflict', `Station ${stationId} has no live show`);
        }
        if (counts.current < 0) {
          throw new ProblemError(
            409,
            'not-watching',
            'Conflict',
            'This client is not counted (it left or timed out); join again',
          );
        }
        return counts;
      },
    );
  }
};

export default viewers;
