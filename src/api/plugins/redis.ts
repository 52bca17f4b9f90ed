import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { createRedis } from '../../store/redis.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Commands fail fast while Redis is down (no offline queue); Redis is a cache, so callers fall back. */
    redis: Redis;
  }
}

const FIRST_CONNECT_WAIT_MS = 2_000;

/** Resolves when the client is ready, has failed once, or after `ms`: never fails start-up. */
function firstConnectOutcome(client: Redis, ms: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('ready', done);
      client.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once('ready', done);
    client.once('error', done);
  });
}

/** Redis for the routes and the rate limiter. ioredis reconnects by itself, so the client exists from the start. */
async function redis(fastify: FastifyInstance, { config }: { config: Config }): Promise<void> {
  const client = createRedis(config);
  const log = fastify.log.child({ dependency: 'redis' });
  // ioredis emits an error on every failed reconnect; log only the transitions, not one line per retry.
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: error }, 'Redis is unreachable; reconnecting');
  });
  client.on('ready', () => {
    if (down) log.info('Redis reconnected');
    down = false;
  });

  fastify.decorate('redis', client);
  // Commands fail at once until the first connect (no offline queue), and the rate limiter would let those
  // requests through; so start-up waits for the first outcome, which is quick either way (refused or connected).
  fastify.addHook('onReady', async () => firstConnectOutcome(client, FIRST_CONNECT_WAIT_MS));
  fastify.addHook('onClose', async () => {
    if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
    else client.disconnect();
  });
}

export default fp(redis, { name: 'redis' });
