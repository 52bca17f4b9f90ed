import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.js';
import { connectMongo, type MongoStore } from '../store/mongo.js';
import { createRedis } from '../store/redis.js';
import { connectTemporal, type TemporalClient } from '../temporal/client.js';

/**
 * What a command runs with: the config, services opened on first use (a command that needs only Mongo never
 * waits for Temporal), output, and an abort signal that a first Ctrl-C raises so long commands stop between
 * units of work, leave things consistent and say how to resume.
 */
export interface OpsContext {
  config: Config;
  mongo(): Promise<MongoStore>;
  /** Connected before it is returned: the platform's client refuses commands while offline. */
  redis(): Promise<Redis>;
  temporal(): Promise<TemporalClient>;
  /** Results (stdout): a table or, with --json, one JSON document. */
  print(text: string): void;
  /** Progress and notes (stderr), so stdout stays machine-readable. */
  note(text: string): void;
  interrupted: AbortSignal;
  close(): Promise<void>;
}

export function createOpsContext(env: NodeJS.ProcessEnv = process.env): OpsContext {
  const config = loadConfig(env);
  const controller = new AbortController();
  let mongo: Promise<MongoStore> | undefined;
  let redis: Redis | undefined;
  let redisReady: Promise<Redis> | undefined;
  let temporal: Promise<TemporalClient> | undefined;

  process.on('SIGINT', () => {
    // The second Ctrl-C is the operator insisting: leave at once.
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nInterrupted: finishing the current step (Ctrl-C again to quit at once)\n');
    controller.abort();
  });

  return {
    config,
    mongo: () => (mongo ??= connectMongo(config)),
    redis: () =>
      (redisReady ??= (async () => {
        redis = createRedis(config);
        if (redis.status !== 'ready') await once(redis, 'ready');
        return redis;
      })()),
    temporal: () => (temporal ??= connectTemporal(config)),
    print: (text) => process.stdout.write(`${text}\n`),
    note: (text) => process.stderr.write(`${text}\n`),
    interrupted: controller.signal,
    async close() {
      await Promise.allSettled([
        mongo?.then((m) => m.client.close()),
        redis?.quit(),
        temporal?.then((t) => t.connection.close()),
      ]);
    },
  };
}
