/**
 * Ingestion throughput and event → profile lag, relay design vs the naive design, in one run on fresh local
 * services (ensureServices test mode; stopped at the end). Prints figures; it is not a test.
 *
 *   npm run bench -- ingest                  # 10k users, 200k events; naive on a 10k-event slice
 *   npx tsx bench/ingest.ts --users 1000 --events 20000 --naive-events 2000      # a quick run
 *   (or INGEST_USERS / INGEST_EVENTS / INGEST_NAIVE_EVENTS with npm run bench)
 *
 * Relay design: POST /api/v1/events (app.inject, batches of 1000, a few in flight) → events + outbox → the relay
 * in the worker process groups per user per round → one signalWithStart per user per round → UserInterestWorkflow
 * → debounced persist. Naive design: the same storage, then one signalWithStart per event straight from the
 * request (no relay). Both feed the same worker process, whose memory is sampled while it works.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from '../src/api/build-app.js';
import { loadConfig } from '../src/config.js';
import { ensureServices } from '../src/dev/services.js';
import { CONTENT_TYPES } from '../src/domain/engagement.js';
import { contentCollection, type ContentDoc } from '../src/store/content.js';
import { insertNewEvents } from '../src/store/events.js';
import { connectMongo, ensureIndexes } from '../src/store/mongo.js';
import { createRedis } from '../src/store/redis.js';
import { connectTemporal } from '../src/temporal/client.js';
import { toEngagement } from '../src/ingestion/event-relay.js';
import { signalUserEngagements } from '../src/workflow-clients/signals.js';
import { AppliedTracker } from './lib/ingest-tracker.js';
import { eventStream, type BenchEvent } from './lib/ingest-events.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: process.env.INGEST_USERS ?? '10000' },
    events: { type: 'string', default: process.env.INGEST_EVENTS ?? '200000' },
    'naive-events': { type: 'string', default: process.env.INGEST_NAIVE_EVENTS ?? '10000' },
  },
});
const USERS = Number(args.users);
const EVENTS = Number(args.events);
const NAIVE_EVENTS = Number(args['naive-events']);
const BATCH = 1_000;
const REQUESTS_IN_FLIGHT = 4;
const NAIVE_SIGNALS_IN_FLIGHT = 32;
const STALL_MS = 180_000;
const POLL_MS = 250;

const services = await ensureServices({ mode: 'test', stopOnSignal: true });
const env = {
  ...process.env,
  ...services.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  MONGO_DB: 'bench_ingest',
  REDIS_KEY_PREFIX: 'bench:',
  TEMPORAL_TASK_QUEUE: 'bench-ingest',
  RATE_LIMIT_MAX: String(1e9),
};
const config = loadConfig(env);
const mongo = await connectMongo(config);
const redis = createRedis(config);
await ensureIndexes(mongo.db);
const temporal = await connectTemporal(config);
const contents = catalog(200);
await contentCollection(mongo.db).insertMany(contents);
const summaries = new Map(contents.map((c) => [c._id, c]));

const worker = await startWorker();
const app = buildApp(config);
const token = (await app.ready(), `Bearer ${app.jwt.sign({ sub: 'bench-producer', roles: ['service'] })}`);
let peak = { rss: 0, heapUsed: 0 };

console.log(`ingest bench: ${USERS} users, ${EVENTS} events (relay); naive slice ${NAIVE_EVENTS} events`);
const relay = await run('relay', 'u', USERS, EVENTS, async (batch) => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: token },
    payload: { events: batch },
  });
  if (res.statusCode !== 202) throw new Error(`POST /events answered ${res.statusCode}: ${res.body}`);
});
const naiveUsers = Math.max(1, Math.round((NAIVE_EVENTS * USERS) / EVENTS));
const naive = await run('naive', 'n', naiveUsers, NAIVE_EVENTS, naiveRequest);

console.log(`\nrelay/naive applied events/s: ${(relay.appliedPerSec / naive.appliedPerSec).toFixed(1)}×`);
console.log(`worker peak memory: RSS ${mb(peak.rss)} MB, heap used ${mb(peak.heapUsed)} MB`);

worker.send('stop');
await new Promise((resolve) => worker.once('exit', resolve));
await app.close();
await Promise.allSettled([temporal.connection.close(), mongo.client.close(), redis.quit()]);
await services.stop();

interface RunResult {
  appliedPerSec: number;
}

async function run(
  name: string,
  userPrefix: string,
  users: number,
  total: number,
  send: (batch: BenchEvent[]) => Promise<void>,
): Promise<RunResult> {
  const tracker = new AppliedTracker(redis);
  const batches = eventStream({ userPrefix, users, total, batch: BATCH, contentIds: contents.map((c) => c._id) });
  const started = Date.now();
  let postedMs = 0;
  let next = 0;
  const posting = Promise.all(
    Array.from({ length: REQUESTS_IN_FLIGHT }, async () => {
      for (let i = next++; i < batches.length; i = next++) {
        const at = Date.now();
        const batch = batches[i]!.map((e) => ({ ...e, occurredAt: new Date(at).toISOString() }));
        for (const e of batch) tracker.posted(e.userId, at);
        await send(batch);
      }
    }),
  ).then(() => (postedMs = Date.now() - started));

  // Polled from the first request on, so early events are not seen late.
  let lastProgress = Date.now();
  let applied = 0;
  let lastMemorySample = 0;
  while (tracker.applied < total && Date.now() - lastProgress < STALL_MS) {
    await sleep(POLL_MS);
    await tracker.poll();
    if (Date.now() - lastMemorySample > 1_000) {
      await sampleWorkerMemory();
      lastMemorySample = Date.now();
    }
    if (tracker.applied > applied) [applied, lastProgress] = [tracker.applied, Date.now()];
  }
  await posting;
  const appliedMs = tracker.lastSeenAtMs - started;
  const appliedPerSec = tracker.applied / (appliedMs / 1000);
  console.log(
    `\n[${name}] ${users} users, ${total} events` +
      `\n  accepted by the API: ${rate(total, postedMs)} events/s (${(postedMs / 1000).toFixed(1)} s)` +
      `\n  applied to profiles: ${tracker.applied}/${total} in ${(appliedMs / 1000).toFixed(1)} s → ` +
      `${appliedPerSec.toFixed(0)} events/s` +
      `\n  event→profile lag: p50 ${(tracker.percentile(50) / 1000).toFixed(2)} s, ` +
      `p99 ${(tracker.percentile(99) / 1000).toFixed(2)} s`,
  );
  return { appliedPerSec };
}

/** The naive design's request: store the batch, then one signalWithStart per event before answering. */
async function naiveRequest(batch: BenchEvent[]): Promise<void> {
  const now = new Date();
  const docs = batch.map(({ eventId, occurredAt, ...rest }) => ({
    ...rest,
    _id: eventId,
    occurredAt: new Date(occurredAt),
    receivedAt: now,
    batchId: 'naive',
  }));
  await insertNewEvents(mongo.db, docs);
  let next = 0;
  await Promise.all(
    Array.from({ length: NAIVE_SIGNALS_IN_FLIGHT }, async () => {
      for (let i = next++; i < docs.length; i = next++) {
        const doc = docs[i]!;
        await signalUserEngagements(temporal.client, config, doc.userId, [toEngagement(doc, summaries)]);
      }
    }),
  );
}

async function startWorker(): Promise<ChildProcess> {
  // BENCH_CPU_PROF=<dir>: the worker process (and its workflow threads) write V8 CPU profiles there.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = fork(fileURLToPath(new URL('./lib/ingest-worker.ts', import.meta.url)), {
    env,
    execArgv: ['--import', 'tsx', ...profile],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
  return child;
}

async function sampleWorkerMemory(): Promise<void> {
  const usage = await new Promise<{ rss: number; heapUsed: number }>((resolve) => {
    worker.once('message', (m) => resolve(m as { rss: number; heapUsed: number }));
    worker.send('memory');
  });
  peak = { rss: Math.max(peak.rss, usage.rss), heapUsed: Math.max(peak.heapUsed, usage.heapUsed) };
}

function catalog(n: number): ContentDoc[] {
  const topic = (i: number) => `topic-${i % 100}`;
  return Array.from({ length: n }, (_, i) => ({
    _id: `bench-c${i}`,
    creatorId: `bench-creator-${i % 20}`,
    title: `Item ${i}`,
    description: '',
    tags: [],
    type: CONTENT_TYPES[i % CONTENT_TYPES.length]!,
    topics: [topic(i), topic(i * 7 + 3), topic(i * 13 + 5)],
    createdAt: new Date(),
  }));
}

function rate(n: number, ms: number): string {
  return (n / (ms / 1000)).toFixed(0);
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
