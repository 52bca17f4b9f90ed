import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Db } from 'mongodb';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { outboxCollection } from '../store/event-outbox.js';
import { latestScoringRuns } from '../store/scoring-runs.js';

/**
 * The worker's own Prometheus metrics, on prom-client's default registry beside what the shared helpers count there
 * (temporal_signals_total from the relay, feed_ranker_fallbacks_total from the ranking activities). The Temporal
 * SDK's metrics come from its own exporter and are appended by the ops server (ops-server.ts).
 */
const activityDuration = new Histogram({
  name: 'worker_activity_duration_seconds',
  help: 'Activity executions on this worker, by activity type and outcome (completed, failed)',
  labelNames: ['activity_type', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
});

const batchScoredUsers = new Counter({
  name: 'batch_scoring_users_scored_total',
  help: 'Users whose feed a batch-scoring page scored on this worker (grows page by page during a run)',
});

/** Times and counts every activity; scoring pages also advance batch_scoring_users_scored_total. */
export const activityMetricsInterceptor: ActivityInterceptorsFactory = (context) => ({
  inbound: {
    async execute(input, next) {
      const stop = activityDuration.startTimer({ activity_type: context.info.activityType });
      try {
        const result = await next(input);
        stop({ outcome: 'completed' });
        if (context.info.activityType === 'scoreActiveUserPage') batchScoredUsers.inc(scoredUsers(result));
        return result;
      } catch (error) {
        stop({ outcome: 'failed' });
        throw error;
      }
    },
  },
});

function scoredUsers(result: unknown): number {
  const users = (result as { users?: unknown } | undefined)?.users;
  return typeof users === 'number' ? users : 0;
}

/**
 * Gauges read from MongoDB at scrape time, so every worker replica reports the same shared truth: how many outbox
 * entries wait for the relay and how old the oldest is (the relay's lag), and the latest batch-scoring run.
 */
export function registerStoreGauges(db: Db, registry: Registry): void {
  new Gauge({
    name: 'relay_outbox_depth',
    help: 'Event outbox entries (ingest requests) not yet relayed to workflows',
    registers: [registry],
    async collect() {
      this.set(await outboxCollection(db).countDocuments({}));
    },
  });
  new Gauge({
    name: 'relay_lag_seconds',
    help: 'Age of the oldest event outbox entry not yet relayed (0 when the outbox is empty)',
    registers: [registry],
    async collect() {
      const [oldest] = await outboxCollection(db).find().sort({ createdAt: 1 }).limit(1).toArray();
      this.set(oldest ? Math.max(0, (Date.now() - oldest.createdAt.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'batch_scoring_latest_run',
    help: 'The latest batch-scoring run: running (1/0), users, items_scored, failures, fallback_users, started_at',
    labelNames: ['field'] as const,
    registers: [registry],
    async collect() {
      const [run] = await latestScoringRuns(db, 1);
      if (!run) return;
      this.set({ field: 'running' }, run.status === 'running' ? 1 : 0);
      this.set({ field: 'users' }, run.users);
      this.set({ field: 'items_scored' }, run.itemsScored);
      this.set({ field: 'failures' }, run.failures);
      this.set({ field: 'fallback_users' }, run.fallbackUsers ?? 0);
      this.set({ field: 'started_at' }, run.startedAt.getTime() / 1000);
    },
  });
}
