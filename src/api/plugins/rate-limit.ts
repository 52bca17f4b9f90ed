import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { callerRateLimitKey, consumeRateLimit, ipRateLimitKey } from '../../store/rate-limits.js';
import { tooManyRequests } from '../problems.js';
import { LocalBudget } from './rate-limit-local.js';
import { sharedRateLimitStore } from './rate-limit-store.js';

/**
 * Rate limits shared by every API instance through Redis: RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW_MS per
 * caller by default, lower or higher per route with `config: { rateLimit: { max, timeWindow } }`, or none with
 * `config: { rateLimit: false }` (probes and metrics).
 *
 * The caller is the authenticated user, else the client IP; the limiter runs at preHandler, after auth has
 * identified the user at onRequest. While Redis is unreachable requests are let through (skipOnError): losing
 * Redis may cost speed or protection for a while, never availability (docs/decisions/0005-redis-derived-and-fails-open.md). With RATE_LIMIT_SYNC_MS
 * above 0, a caller's spends on the default budget are counted per process and reach Redis every that many ms
 * while the caller is under half the limit (rate-limit-local.ts), which saves a Redis round trip per request (docs/decisions/0006-rate-limit-counted-per-process.md).
 */
async function rateLimitPlugin(fastify: FastifyInstance, { config }: { config: Config }): Promise<void> {
  const local =
    config.RATE_LIMIT_SYNC_MS > 0
      ? new LocalBudget({
          syncMs: config.RATE_LIMIT_SYNC_MS,
          spend: (key, limit, cost) => consumeRateLimit(fastify.redis, key, limit, cost),
        })
      : undefined;
  if (local) fastify.addHook('onClose', () => local.close());
  await fastify.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    // The platform's limiter, which Brain Mode steps spend from too (src/store/rate-limits.ts).
    store: sharedRateLimitStore(fastify.redis, local),
    skipOnError: true,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      tooManyRequests(
        `Rate limit of ${context.max} requests per ${context.after} exceeded; retry after the Retry-After seconds`,
        context.ttl / 1000,
      ),
  });
}

function rateLimitKey(request: FastifyRequest): string {
  return request.principal ? callerRateLimitKey(request.principal.userId) : ipRateLimitKey(request.ip);
}

export default fp(rateLimitPlugin, { name: 'rate-limit', dependencies: ['redis', 'auth', 'errors'] });
