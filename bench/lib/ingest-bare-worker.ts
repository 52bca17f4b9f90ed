/**
 * The reference lanes' worker for bench/ingest.ts in its own process: only the counting workflow (count-workflow.ts)
 * and the floor lane's (floor-workflow.ts, with its local activities), on a task queue of their own, so their CPU and
 * memory are measured apart from the system's worker (ingest-worker.ts), whose cache of user workflows it would
 * otherwise share a heap with. Talks to the parent over IPC like ingest-worker.ts.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, DefaultLogger, Worker, type InjectedSinks } from '@temporalio/worker';
import { loadConfig } from '../../src/config.js';
import { connectMongo } from '../../src/store/mongo.js';
import { createRedis } from '../../src/store/redis.js';
import { bareTaskQueue } from './bare-lane.js';
import type { LaneSinks } from './count-workflow.js';
import { createFloorActivities } from './floor-activities.js';
import { serveWorkerIpc } from './worker-ipc.js';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const config = loadConfig();
const mongo = await connectMongo(config);
const redis = createRedis(config);
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
let counted = 0;
const sinks: InjectedSinks<LaneSinks> = {
  lane: {
    counted: {
      fn: (_info, events) => {
        counted += events;
      },
    },
  },
};
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: bareTaskQueue(config.TEMPORAL_TASK_QUEUE),
  workflowsPath: fileURLToPath(new URL('./lane-workflows.ts', import.meta.url)),
  activities: createFloorActivities(mongo.db, redis),
  sinks,
  // The system worker's cache size, so neither lane replays more for want of cache than the other.
  maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
});
serveWorkerIpc([worker], () => counted);
await worker.run();
await Promise.allSettled([connection.close(), mongo.client.close(), redis.quit()]);
if (process.connected) process.disconnect();
