/**
 * The bench's floor, in its own process as the API is: Fastify, one Redis GET, JSON out; no auth, limits, schemas
 * or ranking. Listens on PORT (the config's), reads the config's Redis. Started by bench/volume.ts.
 */
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { createRedis } from '../src/store/redis.js';

const config = loadConfig();
const redis = createRedis(config);
// The client queues nothing while it connects (createRedis), so it must be connected before the first request.
await new Promise((resolve) => redis.once('ready', resolve));
const bare = Fastify({ logger: false });
bare.get('/bare/:key', async (request) => ({ value: await redis.get((request.params as { key: string }).key) }));
bare.get('/ready', async () => ({ ok: true }));
process.once(
  'SIGTERM',
  () =>
    void bare
      .close()
      .then(() => redis.quit())
      .finally(() => process.exit(0)),
);
await bare.listen({ host: '127.0.0.1', port: config.PORT });
