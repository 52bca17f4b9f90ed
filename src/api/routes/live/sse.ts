import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../../config.js';
import { compareStreamIds, STREAM_ID, type LiveHub } from '../../../live/hub.js';
import type { LiveChannel, LiveEvent } from '../../../live/publisher.js';
import { badRequest, tooManyRequests } from '../../problems.js';

/** Open streams per user on this instance, for LIVE_MAX_STREAMS_PER_USER. */
const openStreams = new Map<string, number>();

const frame = ({ id, type, data }: LiveEvent) => `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Serves one channel as Server-Sent Events until the client goes. Subscribes before reading the stream, so an
 * event published meanwhile is not lost: it is held and sent after the backlog unless the backlog had it.
 * A client more than LIVE_MAX_BUFFERED_BYTES behind is cut off rather than buffered without bound; it reconnects
 * with Last-Event-ID and resumes from the stream.
 */
export async function serveChannel(
  request: FastifyRequest,
  reply: FastifyReply,
  hub: LiveHub,
  channel: LiveChannel,
  config: Pick<Config, 'LIVE_HEARTBEAT_MS' | 'LIVE_MAX_BUFFERED_BYTES' | 'LIVE_MAX_STREAMS_PER_USER'>,
): Promise<void> {
  const lastEventId = request.headers['last-event-id'];
  if (lastEventId !== undefined && (typeof lastEventId !== 'string' || !STREAM_ID.test(lastEventId))) {
    throw badRequest('Last-Event-ID must be an id this stream sent', [
      { path: '/last-event-id', message: 'not an event id' },
    ]);
  }
  const userId = request.principal!.userId;
  const open = openStreams.get(userId) ?? 0;
  if (open >= config.LIVE_MAX_STREAMS_PER_USER) {
    throw tooManyRequests(`At most ${config.LIVE_MAX_STREAMS_PER_USER} live streams per user; close one first`, 5);
  }
  openStreams.set(userId, open + 1);

  const raw = reply.raw;
  let lastSent = lastEventId ?? '0-0';
  let replaying = true;
  const held: LiveEvent[] = [];
  let closed = false;
  const send = (event: LiveEvent) => {
    if (closed || compareStreamIds(event.id, lastSent) <= 0) return;
    lastSent = event.id;
    raw.write(frame(event));
    if (raw.writableLength > config.LIVE_MAX_BUFFERED_BYTES) raw.destroy();
  };
  const unfollow = await hub.follow(channel, (event) => (replaying ? held.push(event) : send(event)));
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), config.LIVE_HEARTBEAT_MS);
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    openStreams.set(userId, (openStreams.get(userId) ?? 1) - 1);
    if (openStreams.get(userId) === 0) openStreams.delete(userId);
    void unfollow();
  };
  raw.on('close', cleanup);

  reply.hijack();
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx and similar proxies would otherwise buffer the stream.
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  raw.write(`retry: 3000\n\n`);
  try {
    if (lastEventId !== undefined) {
      const { events, gap } = await hub.since(channel, lastEventId);
      if (gap) raw.write(`event: resync\ndata: {}\n\n`);
      events.forEach(send);
    }
  } catch (error) {
    request.log.warn({ err: error }, 'live stream backlog unavailable');
    raw.write(`event: resync\ndata: {}\n\n`);
  }
  replaying = false;
  held.splice(0).forEach(send);
}
