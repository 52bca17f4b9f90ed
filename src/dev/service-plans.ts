import { join } from 'node:path';
import { hostPortOfUrl, parseHostPort, type HostPort } from './addresses.js';
import { pingMongo, startFerretDbOnPostgres } from './ferretdb.js';
import { freePort } from './ports.js';
import type { ManagedProcess } from './process.js';
import { pingRedis, startRedis } from './redis.js';
import { pingTemporal, startTemporal } from './temporal.js';
import type { ServiceDirs } from './workspace.js';

/** The addresses the api, the worker and the tests read (names as in src/config.ts). */
export interface ServiceEnv {
  TEMPORAL_ADDRESS: string;
  MONGO_URL: string;
  REDIS_URL: string;
  TEMPORAL_UI_URL: string;
  /** What the FerretDB at MONGO_URL stores into, when this launcher started it; see src/config.ts. */
  MONGO_BACKEND?: string;
}

/** How to find, start and check one service. */
export type ServiceName = 'temporal' | 'mongodb' | 'redis';

export interface ServicePlan {
  name: ServiceName;
  hostPort: HostPort;
  ping(): Promise<void>;
  /** Resolves once the process is spawned (after any helper it needs, like FerretDB's PostgreSQL, is up). */
  start(): Promise<ManagedProcess>;
  startTimeoutMs: number;
}

export interface ServicePlans {
  env: ServiceEnv;
  namespace: string;
  plans: ServicePlan[];
}

/** The defaults of src/config.ts: where `npm run dev` looks first and starts what is missing. */
export const DEV_DEFAULTS: ServiceEnv = {
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  MONGO_URL: 'mongodb://127.0.0.1:27017',
  REDIS_URL: 'redis://127.0.0.1:6379',
  TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
};

/** Dev: the addresses in the environment (or the defaults), data kept under .tools/data. */
export function devPlans(source: NodeJS.ProcessEnv, dirs: ServiceDirs): ServicePlans {
  const env: ServiceEnv = {
    TEMPORAL_ADDRESS: source.TEMPORAL_ADDRESS || DEV_DEFAULTS.TEMPORAL_ADDRESS,
    MONGO_URL: source.MONGO_URL || DEV_DEFAULTS.MONGO_URL,
    REDIS_URL: source.REDIS_URL || DEV_DEFAULTS.REDIS_URL,
    TEMPORAL_UI_URL: source.TEMPORAL_UI_URL || DEV_DEFAULTS.TEMPORAL_UI_URL,
  };
  const uiPort = hostPortOfUrl(env.TEMPORAL_UI_URL, 80).port;
  const postgresPort = source.POSTGRES_PORT ? Number(source.POSTGRES_PORT) : undefined;
  return buildPlans(env, namespaceOf(source), uiPort, dirs, join(dirs.dataDir, 'temporal.db'), postgresPort);
}

/** Test: fresh ports on loopback, Temporal in memory unless `keepTemporalData`, whatever the environment says. */
export async function testPlans(
  source: NodeJS.ProcessEnv,
  dirs: ServiceDirs,
  keepTemporalData = false,
): Promise<ServicePlans> {
  const [temporal, ui, mongo, redis] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env: ServiceEnv = {
    TEMPORAL_ADDRESS: `127.0.0.1:${temporal}`,
    MONGO_URL: `mongodb://127.0.0.1:${mongo}`,
    REDIS_URL: `redis://127.0.0.1:${redis}`,
    TEMPORAL_UI_URL: `http://127.0.0.1:${ui}`,
  };
  const temporalDbFile = keepTemporalData ? join(dirs.dataDir, 'temporal.db') : undefined;
  return buildPlans(env, namespaceOf(source), ui, dirs, temporalDbFile, undefined);
}

function buildPlans(
  env: ServiceEnv,
  namespace: string,
  uiPort: number,
  dirs: ServiceDirs,
  temporalDbFile: string | undefined,
  postgresPort: number | undefined,
): ServicePlans {
  const temporal = parseHostPort(env.TEMPORAL_ADDRESS, 7233);
  const mongo = hostPortOfUrl(env.MONGO_URL, 27017);
  const redis = hostPortOfUrl(env.REDIS_URL, 6379);
  const logFile = (name: string): string => join(dirs.logsDir, `${name}.log`);
  // Chosen at the first start and kept, so a restart finds the cluster where it was.
  let pgPort = postgresPort;
  const plans: ServicePlan[] = [
    {
      name: 'temporal',
      hostPort: temporal,
      ping: () => pingTemporal(temporal, namespace),
      start: async () =>
        startTemporal({ hostPort: temporal, namespace, uiPort, dbFile: temporalDbFile, logFile: logFile('temporal') }),
      // The first start of a persistent dev server creates its schema; on 2 busy cores that takes a while.
      startTimeoutMs: 90_000,
    },
    {
      name: 'mongodb',
      hostPort: mongo,
      ping: () => pingMongo(env.MONGO_URL),
      start: async () => {
        const store = await startFerretDbOnPostgres({
          hostPort: mongo,
          postgresPort: (pgPort ??= await freePort()),
          dataDir: dirs.dataDir,
          logsDir: dirs.logsDir,
          disposable: dirs.disposable,
        });
        env.MONGO_BACKEND = store.backend;
        return store.process;
      },
      startTimeoutMs: 60_000,
    },
    {
      name: 'redis',
      hostPort: redis,
      ping: () => pingRedis(env.REDIS_URL),
      start: async () => startRedis({ hostPort: redis, dataDir: dirs.dataDir, logFile: logFile('redis') }),
      startTimeoutMs: 30_000,
    },
  ];
  return { env, namespace, plans };
}

function namespaceOf(source: NodeJS.ProcessEnv): string {
  return source.TEMPORAL_NAMESPACE || 'default';
}
