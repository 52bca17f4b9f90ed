import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { LiveHub } from '../../../live/hub.js';
import { liveChannels } from '../../../live/publisher.js';
import { findStation } from '../../../store/stations.js';
import { notFound } from '../../problems.js';
import { problemResponses } from '../../schemas/common.js';
import { StationParams } from '../../schemas/stations.js';
import { serveChannel } from './sse.js';

const LastEventIdHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({
      pattern: '^\\d{1,20}(-\\d{1,20})?$',
      description: 'The id of the last event received; the stream resumes after it (browsers send it by themselves)',
    }),
  ),
});

const eventStream = (description: string) =>
  Type.Unsafe<never>({
    description,
    content: { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events (docs/live.md)' } } },
  });

/**
 * Live updates as Server-Sent Events (docs/live.md): one stream per station, one per user. Any API replica serves
 * any client: events reach every replica through Redis pub/sub, and a reconnecting client resumes from the
 * channel's bounded Redis stream by Last-Event-ID.
 */
const liveRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  // Its own connection (a subscribed one can run nothing else), opened by the first stream; the redis plugin
  // already reports Redis being down, so this one's connection errors are not logged again.
  const subscriber = fastify.redis.duplicate({ enableOfflineQueue: true, lazyConnect: true });
  subscriber.on('error', () => undefined);
  const hub = new LiveHub(fastify.redis, subscriber);
  fastify.addHook('onClose', () => hub.close());
  const limits = fastify.config;

  fastify.get(
    '/live/stations/:stationId',
    {
      schema: {
        summary: "A station's live updates: viewers (current, peak) and status (went live, ended, show starting)",
        tags: ['live'],
        params: StationParams,
        headers: LastEventIdHeaders,
        response: {
          200: eventStream('Events `viewers` and `status`; `resync` when events were missed (refetch the station)'),
          ...problemResponses(404, 429),
        },
      },
    },
    async (request, reply) => {
      const { db } = await fastify.mongo.get();
      if (!(await findStation(db, request.params.stationId))) throw notFound('No such station');
      await serveChannel(request, reply, hub, liveChannels.station(request.params.stationId), limits);
    },
  );

  fastify.get(
    '/live/me',
    {
      schema: {
        summary: "The caller's live updates: a `notification` event for each new notification",
        tags: ['live'],
        headers: LastEventIdHeaders,
        response: {
          200: eventStream('Events `notification`; `resync` when events were missed (refetch the inbox)'),
          ...problemResponses(429),
        },
      },
    },
    async (request, reply) => {
      await serveChannel(request, reply, hub, liveChannels.user(request.principal!.userId), limits);
    },
  );
};

export default liveRoutes;
