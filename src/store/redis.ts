import { Redis } from 'ioredis';
import type { Config } from '../config.js';

/**
 * One ioredis client per process. All keys go through `redisKeys` and get REDIS_KEY_PREFIX from the client,
 * so several deployments (or test files) can share one Redis without seeing each other's data.
 */
export function createRedis(config: Pick<Config, 'REDIS_URL' | 'REDIS_KEY_PREFIX'>): Redis {
  return new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    // Fail fast while Redis is down: Redis is a cache, callers fall back to Mongo or report not-ready.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    lazyConnect: false,
  });
}

export async function pingRedis(redis: Redis): Promise<void> {
  const reply = await redis.ping();
  if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
}
