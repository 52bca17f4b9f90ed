import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { redisKeys } from './redis-keys.js';

/**
 * The one rate limiter of the platform: fixed windows counted in Redis. The REST API's limiter plugin stores its
 * counters through `consumeRateLimit` (src/api/plugins/rate-limit-store.ts) and Brain Mode steps spend the caller's
 * budget through it too, so a command cannot do more than the same caller could through REST.
 */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface RateLimitUse {
  /** Units spent in the current window, this spend included. */
  current: number;
  /** Until the window resets. */
  ttlMs: number;
  exceeded: boolean;
}

/** The caller's key: every REST route without its own limit and every Brain Mode step count against it. */
export const callerRateLimitKey = (userId: string): string => `user:${userId}`;
export const ipRateLimitKey = (ip: string): string => `ip:${ip}`;

/** The default per-caller budget (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS). */
export const callerRateLimit = (config: Pick<Config, 'RATE_LIMIT_MAX' | 'RATE_LIMIT_WINDOW_MS'>): RateLimit => ({
  max: config.RATE_LIMIT_MAX,
  windowMs: config.RATE_LIMIT_WINDOW_MS,
});

// Atomic, so concurrent API instances and workers share one count; the window starts with its first unit.
const SPEND = `
local current = redis.call('INCRBY', KEYS[1], ARGV[2])
if current == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {current, redis.call('PTTL', KEYS[1])}
`;

/**
 * Spends `cost` units of the budget under `key` (without the namespace). Refused spends count too, as a refused
 * REST request does. Throws when Redis cannot be reached; callers decide whether that lets the action through.
 */
export async function consumeRateLimit(redis: Redis, key: string, limit: RateLimit, cost = 1): Promise<RateLimitUse> {
  const reply = (await redis.eval(SPEND, 1, `${redisKeys.rateLimitNamespace}${key}`, limit.windowMs, cost)) as [
    number,
    number,
  ];
  const [current, ttl] = reply;
  return { current, ttlMs: ttl < 0 ? limit.windowMs : ttl, exceeded: current > limit.max };
}
