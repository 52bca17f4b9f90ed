/**
 * The bare lane's worker for bench/ingest.ts in its own process: only the counting workflow (count-workflow.ts), on
 * its own task queue, so its CPU and memory are measured apart from the system's worker (ingest-worker.ts), whose
 * cache of user workflows it would otherwise share a heap with. Talks to the parent over IPC like ingest-worker.ts.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config.js';
import { bareTaskQueue } from './bare-lane.js';
import { serveWorkerIpc } from './worker-ipc.js';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const config = loadConfig();
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: bareTaskQueue(config.TEMPORAL_TASK_QUEUE),
  workflowsPath: fileURLToPath(new URL('./count-workflow.ts', import.meta.url)),
});
serveWorkerIpc(worker);
await worker.run();
await connection.close();
if (process.connected) process.disconnect();
