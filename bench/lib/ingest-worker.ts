/**
 * The worker side of bench/ingest.ts in its own process, as deployed (`npm run worker` runs the same parts): the
 * powerstream and ranking Temporal workers (the ranking one runs the feed refreshes the interest workflows ask for)
 * and the event relay. Its own process so the memory and CPU it reports are the
 * worker's, not the API's or the load generator's. Config from the environment; IPC with the parent: worker-ipc.ts.
 */
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { connectMongo } from '../../src/store/mongo.js';
import { createRedis } from '../../src/store/redis.js';
import { connectTemporal } from '../../src/temporal/client.js';
import { startEventRelay } from '../../src/ingestion/event-relay.js';
import { createPowerstreamWorker, createRankingWorker } from '../../src/worker/workers.js';
import { serveWorkerIpc } from './worker-ipc.js';

Runtime.install({ logger: new DefaultLogger('WARN') });
const config = loadConfig();
const mongo = await connectMongo(config);
const redis = createRedis(config);
const temporal = await connectTemporal(config);
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await createPowerstreamWorker({ config, connection, deps: { db: mongo.db, redis } });
const rankingWorker = await createRankingWorker({ config, connection, deps: { db: mongo.db, redis } });
const relay = startEventRelay({ db: mongo.db, temporal: temporal.client, config, logger: pino({ level: 'warn' }) });
serveWorkerIpc([worker, rankingWorker]);
await Promise.all([worker.run(), rankingWorker.run()]);
await relay.stop();
await Promise.allSettled([connection.close(), temporal.connection.close(), mongo.client.close(), redis.quit()]);
if (process.connected) process.disconnect();
