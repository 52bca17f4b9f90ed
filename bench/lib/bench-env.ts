import type { ServiceEnv } from '../../src/dev/services.js';

/**
 * The environment a bench and its child processes run with: the services it started (test mode: fresh, on free
 * ports), test settings, warnings only, and a database and Redis key prefix of its own, named after the bench and
 * its process; `overrides` last.
 */
export function benchEnv(
  name: string,
  services: { env: ServiceEnv },
  overrides: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...services.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    MONGO_DB: `bench_${name}_${process.pid}`,
    REDIS_KEY_PREFIX: `bench-${name}:${process.pid}:`,
    ...overrides,
  };
}
