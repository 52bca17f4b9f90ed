import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { API_V1 } from './base-path.js';
import { parseCorsOrigins } from './deployment-settings.js';
import auth from './plugins/auth.js';
import errors from './plugins/errors.js';
import metrics from './plugins/metrics.js';
import mongo from './plugins/mongo.js';
import openapi from './plugins/openapi.js';
import rateLimit from './plugins/rate-limit.js';
import redis from './plugins/redis.js';
import requestId from './plugins/request-id.js';
import temporal from './plugins/temporal.js';
import devTokenRoutes from './routes/dev-tokens/index.js';
import eventRoutes from './routes/events/index.js';
import feedRoutes from './routes/feed/index.js';
import healthRoutes from './routes/health/index.js';
import notificationRoutes from './routes/notifications/index.js';
import stationRoutes from './routes/stations/index.js';
import userRoutes from './routes/users/index.js';
import creatorRoutes from './routes/creators/index.js';
import leaderboardRoutes from './routes/leaderboards/index.js';
import socialRoutes from './routes/social/index.js';
import identityRoutes from './routes/identities/index.js';
import contentRoutes from './routes/content/index.js';
import brainRoutes from './routes/brain/index.js';
import cacheRoutes from './routes/cache/index.js';
import liveRoutes from './routes/live/index.js';

export interface AppOptions {
  config: Config;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

/**
 * The API as a plugin: build-app.ts wraps it in a Fastify instance for the server and the tests. Order matters:
 * clients first, then the cross-cutting plugins (the error handler, OpenAPI and auth hooks must exist before any
 * route is added), then one encapsulated plugin per resource.
 */
export default async function app(fastify: FastifyInstance, { config }: AppOptions): Promise<void> {
  fastify.decorate('config', config);
  // Bodies are JSON only: a string body that `fetch` sends as text/plain gets 415 naming the fix, rather than
  // reaching the schema as a string (docs/api-behaviour.md).
  fastify.removeContentTypeParser('text/plain');

  // Infrastructure: each connects without holding start-up back, so /ready can report what is down.
  await fastify.register(mongo, { config });
  await fastify.register(redis, { config });
  await fastify.register(temporal, { config });

  // Cross-cutting.
  await fastify.register(requestId);
  await fastify.register(errors);
  // Browsers on the listed origins only; other callers (apps, servers) never send an Origin and are unaffected.
  await fastify.register(cors, {
    origin: parseCorsOrigins(config.CORS_ORIGINS),
    exposedHeaders: [
      'x-request-id',
      'location',
      'retry-after',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ],
    maxAge: 600,
  });
  await fastify.register(openapi);
  await fastify.register(metrics);
  await fastify.register(auth, { config });
  await fastify.register(rateLimit, { config });

  // Routes.
  await fastify.register(healthRoutes);
  if (config.DEV_TOKENS && config.NODE_ENV !== 'production') {
    await fastify.register(devTokenRoutes, { prefix: `${API_V1}/dev` });
  }
  // Resource routes: src/api/routes/<resource>/index.ts, one line each.
  await fastify.register(eventRoutes, { prefix: API_V1 });
  await fastify.register(feedRoutes, { prefix: API_V1 });
  await fastify.register(userRoutes, { prefix: API_V1 });
  await fastify.register(socialRoutes, { prefix: API_V1 });
  await fastify.register(creatorRoutes, { prefix: API_V1 });
  await fastify.register(leaderboardRoutes, { prefix: API_V1 });
  await fastify.register(identityRoutes, { prefix: API_V1 });
  await fastify.register(stationRoutes, { prefix: API_V1 });
  await fastify.register(notificationRoutes, { prefix: API_V1 });
  await fastify.register(contentRoutes, { prefix: API_V1 });
  await fastify.register(cacheRoutes, { prefix: API_V1 });
  await fastify.register(liveRoutes, { prefix: API_V1 });
  // Brain Mode also answers at the seed client's unversioned paths (docs/api-behaviour.md).
  await fastify.register(brainRoutes, { prefix: `${API_V1}/brain` });
  await fastify.register(brainRoutes, { prefix: '/api/brain' });
}
