import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { consumeRateLimit } from '../../store/rate-limits.js';
import type { LocalBudget } from './rate-limit-local.js';

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];

/**
 * @fastify/rate-limit's store over the platform's limiter (src/store/rate-limits.ts), so REST requests and Brain Mode
 * steps spend the same counters. Keys keep the library's layout: `rl:` + (`METHOD/url-` for a route with its own
 * limit) + the caller's key. With `local`, the default per-caller budget is counted through it (a Redis round trip
 * per sync instead of per request); routes with their own, usually tight, limits always spend in Redis.
 */
export function sharedRateLimitStore(redis: Redis, local?: LocalBudget) {
  return class SharedRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly routePrefix = '',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      const limit = { max, windowMs: timeWindow };
      const spent: Promise<{ current: number; ttlMs: number }> =
        local && this.routePrefix === ''
          ? local.consume(key, limit)
          : consumeRateLimit(redis, `${this.routePrefix}${key}`, limit);
      spent.then(
        (use) => callback(null, { current: use.current, ttl: use.ttlMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new SharedRateLimitStore(routeOptions, `${String(route?.method)}${String(route?.url)}-`);
    }
  };
}
