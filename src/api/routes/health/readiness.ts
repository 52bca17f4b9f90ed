import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { describeMongoServer } from '../../../store/mongo.js';
import { pingRedis } from '../../../store/redis.js';
import { pingTemporal } from '../../../temporal/client.js';
import type { DependencyChecks } from '../../schemas/health.js';

export type Checks = Static<typeof DependencyChecks>;

/** Short enough for a load balancer's probe; a dependency slower than this is as good as down for requests. */
const CHECK_TIMEOUT_MS = 1_500;

export interface Readiness {
  checks: Checks;
  /** The document store that answered, e.g. "FerretDB v1.24.2 on PostgreSQL 15.14"; absent while it is down. */
  store?: string;
}

/** Pings every dependency in parallel; a check that fails or takes longer than CHECK_TIMEOUT_MS is `down`. */
export async function checkDependencies(fastify: FastifyInstance): Promise<Readiness> {
  let store: string | undefined;
  const probes: Record<keyof Checks, () => Promise<void>> = {
    temporal: async () => pingTemporal(await fastify.temporal.get(), fastify.config.TEMPORAL_NAMESPACE),
    mongo: async () => {
      store = await describeMongoServer((await fastify.mongo.get()).db, fastify.config.MONGO_BACKEND);
    },
    redis: () => pingRedis(fastify.redis),
  };
  const results = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      try {
        await withTimeout(probe(), CHECK_TIMEOUT_MS, `${name} did not answer within ${CHECK_TIMEOUT_MS} ms`);
        return [name, 'up'] as const;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        fastify.log.warn({ dependency: name, reason }, 'readiness check failed');
        return [name, 'down'] as const;
      }
    }),
  );
  const checks = Object.fromEntries(results) as Checks;
  return checks.mongo === 'up' && store ? { checks, store } : { checks };
}

async function withTimeout(work: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
