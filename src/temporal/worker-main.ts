import { NativeConnection, Runtime } from '@temporalio/worker';
import { pino } from 'pino';
import { loadConfig } from '../config.js';
import { connectMongo, ensureIndexes } from '../store/mongo.js';
import { ensureLeaderboards } from '../store/leaderboards.js';
import { createRedis } from '../store/redis.js';
import { connectTemporal } from './client.js';
import { startEventRelay } from './event-relay.js';
import { ensureLearningSchedule } from '../learning/schedule.js';
import { ensureBatchScoringSchedule } from './schedules.js';
import { createPowerstreamWorker, createRankingWorker } from './worker.js';

/** `npm run worker`: the Temporal worker plus the event relay; SIGINT/SIGTERM drain both and exit. */
const config = loadConfig();
const logger = pino({ level: config.LOG_LEVEL, name: 'worker' });
Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });

const mongo = await connectMongo(config);
await ensureIndexes(mongo.db);
const redis = createRedis(config);
// Redis may have restarted empty: the boards come back from Mongo. Not fatal, since the boards are only derived data.
await ensureLeaderboards(mongo.db, redis, Date.now()).then(
  ({ rebuilt }) => rebuilt && logger.info('leaderboards rebuilt from creator_stats'),
  (error: unknown) =>
    logger.warn({ err: error }, 'leaderboard start-up check failed; rebuild via POST /api/v1/leaderboards/rebuild'),
);
const temporal = await connectTemporal(config);
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });

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
logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS }, 'worker started');

try {
  await Promise.all([worker.run(), rankingWorker.run()]);
} finally {
  await relay.stop();
  await Promise.allSettled([connection.close(), temporal.connection.close(), mongo.client.close(), redis.quit()]);
  logger.info('worker stopped');
}
