import type { Redis } from 'ioredis';
import { liveChannels, publishLive } from '../live/publisher.js';
import { redisKeys } from './redis-keys.js';

/**
 * Live viewer counts of a station's current show, in Redis. Per station: a hash with the live showId and its peak,
 * a sorted set of watching clients scored by last-seen time (so a vanished client drops out after the timeout), and
 * a HyperLogLog of the users who watched. Every change is one Lua script, so concurrent joins and leaves never
 * lose an update, a count cannot go negative (it is a set's cardinality) and a client that joins twice counts once.
 * The counts are folded into the show's Mongo record when it ends; losing Redis loses only live counts.
 */
export interface ViewerCounts {
  showId: string;
  current: number;
  peak: number;
  unique: number;
}

export interface ViewerClock {
  nowMs: number;
  /** A client not seen for this long no longer counts. */
  timeoutMs: number;
}

const keysOf = (stationId: string): string[] => [
  redisKeys.stationLive(stationId),
  redisKeys.stationViewers(stationId),
  redisKeys.stationUniqueViewers(stationId),
];

// KEYS: live, viewers, unique. ARGV: member, nowMs, cutoffMs, userId, mode (join | heartbeat | leave).
// Returns nil when nothing is live, [showId, -1, ...] for a heartbeat from a client that is not watching.
const CHANGE_SCRIPT = `
local live = redis.call('HMGET', KEYS[1], 'showId', 'ended')
local show = live[1]
if not show or live[2] then return nil end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3])
local mode = ARGV[5]
if mode == 'leave' then
  redis.call('ZREM', KEYS[2], ARGV[1])
elseif mode == 'heartbeat' and not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return {show, -1, 0, 0}
else
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
  if mode == 'join' then redis.call('PFADD', KEYS[3], ARGV[4]) end
end
local current = redis.call('ZCARD', KEYS[2])
local peak = tonumber(redis.call('HGET', KEYS[1], 'peak') or '0')
if current > peak then
  peak = current
  redis.call('HSET', KEYS[1], 'peak', peak)
end
return {show, current, peak, redis.call('PFCOUNT', KEYS[3])}
`;

// KEYS: live, viewers, unique. ARGV: showId. A retried open of the same show keeps its counts.
const OPEN_SCRIPT = `
if redis.call('HGET', KEYS[1], 'showId') == ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'showId', ARGV[1], 'peak', 0)
return 1
`;

// KEYS: live, viewers, unique. ARGV: showId, tombstone ms. Clears only that show's counts, never a successor's, and
// leaves a tombstone so nothing (a late open, a rebuild from a not-yet-updated Mongo) can count the ended show again.
const CLEAR_SCRIPT = `
if redis.call('HGET', KEYS[1], 'showId') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'showId', ARGV[1], 'ended', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;
const TOMBSTONE_MS = 86_400_000;

const shas = new Map<string, string>();

/** EVALSHA with a fallback to loading the script (after a Redis restart or on first use). */
async function runScript(redis: Redis, script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
  let sha = shas.get(script);
  if (sha) {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    }
  }
  sha = (await redis.script('LOAD', script)) as string;
  shas.set(script, sha);
  return redis.evalsha(sha, keys.length, ...keys, ...args);
}

export type ViewerChange = 'join' | 'heartbeat' | 'leave';

/**
 * Applies a join, heartbeat or leave of one client. Null when nothing is live; for a heartbeat from a client that
 * is not (or no longer) counted, `current` is -1 and the client should join again.
 */
export async function changeViewer(
  redis: Redis,
  stationId: string,
  viewer: { userId: string; clientId: string },
  change: ViewerChange,
  clock: ViewerClock,
): Promise<ViewerCounts | null> {
  // The user is part of the member so nobody can make another user's client leave.
  const member = `${viewer.userId}|${viewer.clientId}`;
  const args = [member, clock.nowMs, clock.nowMs - clock.timeoutMs, viewer.userId, change];
  const reply = (await runScript(redis, CHANGE_SCRIPT, keysOf(stationId), args)) as
    [string, number, number, number] | null;
  if (!reply) return null;
  const [showId, current, peak, unique] = reply;
  // Heartbeats change no count worth pushing; a join or leave does.
  if (change !== 'heartbeat')
    await publishLive(redis, liveChannels.station(stationId), 'viewers', { showId, current, peak });
  return { showId, current, peak, unique };
}

/** Read-only counts (vanished clients excluded without removing them); null when nothing is live. */
export async function viewerCounts(redis: Redis, stationId: string, clock: ViewerClock): Promise<ViewerCounts | null> {
  const [live, viewers, unique] = keysOf(stationId) as [string, string, string];
  const replies = await redis
    .multi()
    .hmget(live, 'showId', 'peak', 'ended')
    .zcount(viewers, clock.nowMs - clock.timeoutMs, '+inf')
    .pfcount(unique)
    .exec();
  const [[, fields], [, current], [, uniqueCount]] = (replies ?? []) as [
    [unknown, [string | null, string | null, string | null]],
    [unknown, number],
    [unknown, number],
  ];
  const [showId, peak, ended] = fields ?? [null, null, null];
  if (!showId || ended) return null;
  return { showId, current: Number(current), peak: Number(peak ?? 0), unique: Number(uniqueCount) };
}

/** Starts counting for a show that went live; idempotent for the same show, and a no-op once that show ended. */
export async function openShowViewers(redis: Redis, stationId: string, showId: string): Promise<void> {
  await runScript(redis, OPEN_SCRIPT, keysOf(stationId), [showId]);
}

/** Drops a finished show's counts (after they were folded into Mongo); a no-op once another show is live. */
export async function clearShowViewers(redis: Redis, stationId: string, showId: string): Promise<void> {
  await runScript(redis, CLEAR_SCRIPT, keysOf(stationId), [showId, TOMBSTONE_MS]);
}
