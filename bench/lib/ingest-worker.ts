/**
 * The worker side of bench/ingest.ts in its own process, as deployed (`npm run worker` runs the same two parts):
 * the powerstream Temporal worker and the event relay, plus a second worker for the bare lane's counting workflow
 * (count-workflow.ts, on its own task queue). Its own process so the memory and CPU it reports are the worker's, not
 * the API's or the load generator's. Config from the environment; talks to the parent over IPC:
 * 'metrics' → WorkerMetrics, 'stop' → drains and exits.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { connectMongo } from '../../src/store/mongo.js';
import { createRedis } from '../../src/store/redis.js';
import { connectTemporal } from '../../src/temporal/client.js';
import { startEventRelay } from '../../src/ingestion/event-relay.js';
import { createPowerstreamWorker } from '../../src/worker/workers.js';
import { temporalSignals } from '../../src/workflow-clients/metrics.js';
import { bareTaskQueue } from './bare-lane.js';

export interface WorkerMetrics {
  rss: number;
  heapUsed: number;
  /** Signals the relay sent so far (temporal_signals_total, outcome ok), per workflow: user-interest, creator-stats. */
  signals: Record<string, number>;
}

Runtime.install({ logger: new DefaultLogger('WARN') });
const config = loadConfig();
const mongo = await connectMongo(config);
const redis = createRedis(config);
const temporal = await connectTemporal(config);
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await createPowerstreamWorker({ config, connection, deps: { db: mongo.db, redis } });
const bare = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: bareTaskQueue(config.TEMPORAL_TASK_QUEUE),
  workflowsPath: fileURLToPath(new URL('./count-workflow.ts', import.meta.url)),
});
const relay = startEventRelay({ db: mongo.db, temporal: temporal.client, config, logger: pino({ level: 'warn' }) });

process.on('message', (message: unknown) => {
  if (message === 'metrics') void sendMetrics();
  else if (message === 'stop') shutdown();
});
// An interrupted bench must not leave this process behind.
process.on('disconnect', shutdown);
process.send?.('ready');
await Promise.all([worker.run(), bare.run()]);
await relay.stop();
await Promise.allSettled([connection.close(), temporal.connection.close(), mongo.client.close(), redis.quit()]);
if (process.connected) process.disconnect();

function shutdown(): void {
  for (const w of [worker, bare]) if (w.getState() === 'RUNNING') w.shutdown();
}

async function sendMetrics(): Promise<void> {
  const { rss, heapUsed } = process.memoryUsage();
  const signals: Record<string, number> = {};
  for (const v of (await temporalSignals.get()).values) {
    if (v.labels.outcome === 'ok')
      signals[String(v.labels.workflow)] = (signals[String(v.labels.workflow)] ?? 0) + v.value;
  }
  process.send?.({ rss, heapUsed, signals } satisfies WorkerMetrics);
}
