import type { Worker } from '@temporalio/worker';
import { temporalSignals } from '../../src/workflow-clients/metrics.js';

export interface WorkerMetrics {
  rss: number;
  heapUsed: number;
  /** Signals this process sent so far (temporal_signals_total, outcome ok) per workflow: the relay's. */
  signals: Record<string, number>;
  /** Events the steady-state counting workflows of this process have counted (0 in the system's worker). */
  counted: number;
}

/**
 * A bench worker process's side of the IPC with bench/ingest.ts: 'metrics' → WorkerMetrics, 'stop' → the worker
 * drains and run() returns; so does a lost parent, so an interrupted bench leaves no process behind.
 */
export function serveWorkerIpc(workers: Worker[], counted: () => number = () => 0): void {
  const shutdown = () => {
    for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('message', (message: unknown) => {
    if (message === 'metrics') void sendMetrics(counted());
    else if (message === 'stop') shutdown();
  });
  process.on('disconnect', shutdown);
  process.send?.('ready');
}

async function sendMetrics(counted: number): Promise<void> {
  const { rss, heapUsed } = process.memoryUsage();
  const signals: Record<string, number> = {};
  for (const v of (await temporalSignals.get()).values) {
    const name = String(v.labels.workflow);
    if (v.labels.outcome === 'ok') signals[name] = (signals[name] ?? 0) + v.value;
  }
  process.send?.({ rss, heapUsed, signals, counted } satisfies WorkerMetrics);
}
