import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, type ActivityInterceptorsFactory, type Worker } from '@temporalio/worker';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import type { ApiInstance } from '../../src/api/build-app.js';
import type { Config } from '../../src/config.js';
import { build } from './build-app.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../../src/store/mongo.js';
import { createRedis } from '../../src/store/redis.js';
import { connectTemporal, type TemporalClient } from '../../src/temporal/client.js';
import { startEventRelay } from '../../src/ingestion/event-relay.js';
import { createPowerstreamWorker } from '../../src/worker/workers.js';
import { bundleWorkflows } from './workflow-env.js';

/**
 * The worker side of the platform in the test process, on the real services: stores, a Temporal worker on the
 * config's task queue (give each file its own) and the event relay. `stopWorker`/`startWorker` simulate a worker
 * outage; `close` stops everything.
 */
export interface Platform {
  mongo: MongoStore;
  redis: Redis;
  temporal: TemporalClient;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  /** Start with the worker running (default) or down. */
  worker?: boolean;
  /** Activity types whose first attempt runs and then fails as if the worker died before reporting it. */
  failFirstAttemptOf?: string[];
}

export async function startPlatform(
  config: Config,
  { worker: withWorker = true, failFirstAttemptOf = [] }: PlatformOptions = {},
): Promise<Platform> {
  const mongo = await connectMongo(config);
  await ensureIndexes(mongo.db);
  const redis = createRedis(config);
  const temporal = await connectTemporal(config);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const workflowBundle = await bundleWorkflows();
  const relay = startEventRelay({ db: mongo.db, temporal: temporal.client, config, logger: pino({ level: 'warn' }) });
  let running: { worker: Worker; done: Promise<void> } | undefined;

  const platform: Platform = {
    mongo,
    redis,
    temporal,
    async startWorker() {
      if (running) return;
      const worker = await createPowerstreamWorker({
        config,
        connection,
        deps: { db: mongo.db, redis },
        workflowBundle,
        ...(failFirstAttemptOf.length > 0
          ? { interceptors: { activity: [failFirstAttempt(failFirstAttemptOf)] } }
          : {}),
      });
      running = { worker, done: worker.run() };
    },
    async stopWorker() {
      if (!running) return;
      running.worker.shutdown();
      await running.done;
      running = undefined;
    },
    async close() {
      await relay.stop();
      await platform.stopWorker();
      await Promise.allSettled([connection.close(), temporal.connection.close(), mongo.client.close(), redis.quit()]);
    },
  };
  if (withWorker) await platform.startWorker();
  return platform;
}

/**
 * An activity interceptor: the first attempt of each of `activityTypes` does its work and then fails (retryable),
 * as when a worker dies after the write but before reporting the result, so Temporal runs the activity again.
 */
export function failFirstAttempt(activityTypes: string[]): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const result = await next(input);
        if (ctx.info.attempt === 1 && activityTypes.includes(ctx.info.activityType)) {
          throw ApplicationFailure.retryable(`${ctx.info.activityType}: first attempt lost after it ran`, 'TestFault');
        }
        return result;
      },
    },
  });
}

/** How many attempts each completed activity of a workflow's current run took, in order, from its history. */
export async function completedActivityAttempts(
  temporal: TemporalClient,
  workflowId: string,
): Promise<{ activityType: string; attempt: number }[]> {
  const events = (await temporal.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = new Map<string, string>();
  const started = new Map<string, number>();
  const completed: { activityType: string; attempt: number }[] = [];
  for (const event of events) {
    const id = String(event.eventId);
    const s = event.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(id, s.activityType?.name ?? '');
    const st = event.activityTaskStartedEventAttributes;
    if (st) started.set(String(st.scheduledEventId), st.attempt ?? 0);
    const c = event.activityTaskCompletedEventAttributes;
    if (c) {
      const key = String(c.scheduledEventId);
      completed.push({ activityType: scheduled.get(key) ?? '', attempt: started.get(key) ?? 0 });
    }
  }
  return completed;
}

/** Waits for eventually-consistent state (relay → workflow → debounced read model); fails with the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  tries = 600,
): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await read();
    if (ok(last)) return last;
    await sleep(100);
  }
  assert.fail(`${what} never happened; last seen: ${JSON.stringify(last)}`);
}

/** Ends workflows a test left open (entity workflows idle for days), so the shared dev server stays clean. */
export async function terminateWorkflows(temporal: TemporalClient, workflowIds: Iterable<string>): Promise<void> {
  for (const id of workflowIds) {
    await temporal.client.workflow
      .getHandle(id)
      .terminate('test finished')
      .catch(() => undefined);
  }
}

/**
 * For a describe block: the API and the worker side on `config`, and a set of workflow ids that are terminated when
 * the block ends. `platform` is set once the block's `before` has run.
 */
export function useApiAndPlatform(
  config: Config,
  options: PlatformOptions = {},
): { app: ApiInstance; platform: Platform; workflows: Set<string> } {
  const suite = { app: build({ after }, config), workflows: new Set<string>() } as {
    app: ApiInstance;
    platform: Platform;
    workflows: Set<string>;
  };
  before(async () => {
    suite.platform = await startPlatform(config, options);
    await suite.app.ready();
  });
  after(async () => {
    await terminateWorkflows(suite.platform.temporal, suite.workflows);
    await suite.platform.close();
  });
  return suite;
}
