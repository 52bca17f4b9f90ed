import { makeTelemetryFilterString, Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../store/mongo.js';
import { watchForWedge, WEDGE_WATCH } from '../store/mongo-wedge.js';
import { ensureLeaderboards } from '../store/leaderboards.js';
import { createRedis } from '../store/redis.js';
import { freeLoopbackPort } from './free-port.js';
import { createWorkerLogger, PinoSdkLogger } from './logger.js';
import { registerStoreGauges } from './metrics.js';
import { startOpsServer } from './ops-server.js';
import { connectTemporal, pingTemporal, type TemporalClient } from '../temporal/client.js';
import { connectWorkerTemporal } from './connection.js';
import { temporalSecurity } from '../temporal/connection-options.js';
import { startEventRelay } from '../ingestion/event-relay.js';
import { ensureLearningSchedule } from '../learning/schedule.js';
import { ensureBatchScoringSchedule } from '../workflow-clients/schedules.js';
import { createPowerstreamWorker, createRankingWorker } from './workers.js';
import { collectDefaultMetrics, register } from 'prom-client';

/**
 * `npm run worker` / `npm run start:worker`: the Temporal workers plus the event relay, and the operations endpoint
 * (/health, /ready, /metrics on WORKER_HOST:WORKER_PORT). SIGINT/SIGTERM drain both workers and exit.
 */
const config = configOrExit();
const logger = createWorkerLogger(config);
const sdkMetricsPort = await freeLoopbackPort();
Runtime.install({
  logger: new PinoSdkLogger(logger),
  shutdownSignals: ['SIGINT', 'SIGTERM'],
  telemetryOptions: {
    // The Rust core's own lines join the same JSON stream; its info level is chatty, warnings are what matter.
    logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'WARN' }) },
    metrics: {
      prometheus: {
        bindAddress: `127.0.0.1:${sdkMetricsPort}`,
        countersTotalSuffix: true,
        useSecondsForDurations: true,
      },
    },
  },
});
collectDefaultMetrics();

interface Running {
  mongo: MongoStore;
  redis: Redis;
  temporal: TemporalClient;
  connection: NativeConnection;
  workers: Worker[];
}
/** Filled once everything is connected; until then /ready answers 503 "starting". */
const state: { running?: Running } = {};
const started = (): Running => {
  if (!state.running) throw new Error('starting');
  return state.running;
};

const ops = await startOpsServer({
  host: config.WORKER_HOST,
  port: config.WORKER_PORT,
  sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics`,
  logger,
  alive: () => !state.running?.workers.some((w) => w.getState() === 'FAILED'),
  readiness: {
    mongo: async () => void (await started().mongo.db.command({ ping: 1 })),
    redis: async () => void (await started().redis.ping()),
    temporal: () => pingTemporal(started().temporal, config.TEMPORAL_NAMESPACE),
    workers: async () => {
      const states = started().workers.map((w) => w.getState());
      if (states.some((s) => s !== 'RUNNING')) throw new Error(states.join(', '));
    },
  },
});
logger.info({ url: ops.url }, 'worker operations endpoint: /health /ready /metrics');

const mongo = await connectMongo(config);
// Crash-only: a worker whose client wedged exits, and its process manager starts a fresh one (mongo-wedge.ts).
const mongoWatch = watchForWedge(mongo.client, config.MONGO_URL, {
  ...WEDGE_WATCH,
  onWedged: () => {
    logger.fatal("MongoDB answers but this worker's client stopped reaching it; exiting to be restarted");
    process.exit(1);
  },
});
await ensureIndexes(mongo.db);
registerStoreGauges(mongo.db, register);
const redis = createRedis(config);
// Redis may have restarted empty: the boards come back from Mongo. Not fatal, since the boards are only derived data.
await ensureLeaderboards(mongo.db, redis, Date.now()).then(
  ({ rebuilt }) => rebuilt && logger.info('leaderboards rebuilt from creator_stats'),
  (error: unknown) =>
    logger.warn({ err: error }, 'leaderboard start-up check failed; rebuild: npm run ops -- rebuild-leaderboards'),
);
const temporal = await connectTemporal(config);
const connection = await connectWorkerTemporal(config);

const worker = await createPowerstreamWorker({ config, connection, deps: { db: mongo.db, redis } });
const rankingWorker = await createRankingWorker({ config, connection, deps: { db: mongo.db, redis } });
await ensureBatchScoringSchedule(temporal.client, config).then(
  (outcome) => logger.info({ outcome, everyMinutes: config.BATCH_SCORING_INTERVAL_MINUTES }, 'batch-scoring schedule'),
  (error: unknown) => logger.warn({ err: error }, 'batch-scoring schedule not created; retried at next start'),
);
await ensureLearningSchedule(temporal.client, config).then(
  (outcome) => logger.info({ outcome, everyMinutes: config.LEARNING_INTERVAL_MINUTES }, 'learning-loop schedule'),
  (error: unknown) => logger.warn({ err: error }, 'learning-loop schedule not created; retried at next start'),
);
const relay = startEventRelay({ db: mongo.db, temporal: temporal.client, config, logger });
state.running = { mongo, redis, temporal, connection, workers: [worker, rankingWorker] };
logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS }, 'worker started');

try {
  await Promise.all([worker.run(), rankingWorker.run()]);
} finally {
  await relay.stop();
  mongoWatch.stop();
  await ops.close();
  await Promise.allSettled([connection.close(), temporal.connection.close(), mongo.client.close(), redis.quit()]);
  logger.info('worker stopped');
}

/** A bad variable or Temporal TLS setting ends start-up with one line naming it, before anything connects. */
function configOrExit(): Config {
  try {
    const loaded = loadConfig();
    temporalSecurity(loaded);
    return loaded;
  } catch (error) {
    console.error(`Invalid configuration: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
