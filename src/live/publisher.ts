import type { Redis } from 'ioredis';

/**
 * Live updates (docs/live.md). A channel is what one stream follows: a station (`station:<id>`: viewers, status)
 * or a user (`user:<id>`: notifications). Each event is appended to the channel's Redis stream (bounded, for
 * Last-Event-ID resume) and published on its pub/sub channel with the stream id, in one script, so every API
 * replica hears it and a resuming client finds it in the stream under the same id.
 */
export type LiveChannel = `station:${string}` | `user:${string}`;

export const liveChannels = {
  station: (stationId: string): LiveChannel => `station:${stationId}`,
  user: (userId: string): LiveChannel => `user:${userId}`,
};

/** Events kept per channel: enough for a phone that lost its connection for a while, bounded for a busy station. */
export const LIVE_STREAM_MAX_LEN = 1_000;

export interface LiveEvent {
  /** Redis stream id, sent as the SSE `id:`; ordered, so a client resumes after the last one it saw. */
  id: string;
  type: string;
  data: unknown;
}

/** The stream key (ioredis adds the key prefix) and the pub/sub channel (not prefixed by ioredis, so done here). */
export function liveKeys(redis: Redis, channel: LiveChannel): { stream: string; pubsub: string } {
  return { stream: `live:${channel}`, pubsub: `${redis.options.keyPrefix ?? ''}live:${channel}` };
}

const PUBLISH_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'type', ARGV[2], 'data', ARGV[3])
redis.call('PUBLISH', ARGV[4], cjson.encode({ id = id, type = ARGV[2], data = ARGV[3] }))
return id`;

/**
 * Best effort: a live update is a hint to refresh, never the record (Mongo and the workflows are), so a Redis
 * failure is swallowed rather than failing the write or activity that caused it. Returns the id, or null.
 */
export async function publishLive(
  redis: Redis,
  channel: LiveChannel,
  type: string,
  data: unknown,
): Promise<string | null> {
  const { stream, pubsub } = liveKeys(redis, channel);
  try {
    return (await redis.eval(
      PUBLISH_SCRIPT,
      1,
      stream,
      LIVE_STREAM_MAX_LEN,
      type,
      JSON.stringify(data),
      pubsub,
    )) as string;
  } catch {
    return null;
  }
}
