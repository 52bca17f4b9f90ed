/**
 * Ingestion in two phases, each beside a bare Temporal lane measured in the same run on fresh local services
 * (ensureServices test mode; stopped at the end). Prints figures; it is not a test.
 *
 *   npm run bench -- ingest          # cold start 1,000 new users × 20 events; steady state 10k running users, 60 s
 *   npx tsx bench/ingest.ts --users 300 --steady-users 1000 --steady-seconds 20     # a quick run
 *   --phases cold|steady, --steady-rate <events/s>, --naive-events <n> (or INGEST_* with npm run bench)
 *
 * System lanes: POST /api/v1/events (app.inject) → events + outbox → the relay in the worker process groups a round
 * of outbox entries per user → one signalWithStart per user per round → UserInterestWorkflow → debounced persist.
 * Applied = the user's profile in the Redis hot cache shows the event (AppliedTracker); lag = accepted → applied.
 * Bare lanes: a workflow that only counts the events it is signalled (lib/count-workflow.ts, no activity, no
 * database), signalled from here with the relay's concurrency, run by a worker in its own process
 * (lib/ingest-bare-worker.ts), so each lane's worker CPU and RSS are its own.
 *
 * - cold start: N new users × E events. System: posted in requests of 1,000, 4 in flight; events/s applied. Bare: one
 *   signalWithStart per user carrying its E events; events/s until every workflow has counted its events. Floor:
 *   the least a design with MongoDB as the source of truth must add to the bare lane (every event stored in the
 *   API's batches, one local activity per user that restores and writes its profile; lib/floor-workflow.ts), run by
 *   the bare lane's worker process.
 * - steady state: the users' workflows are started first (one event each through the API; bare: an empty signal;
 *   floor: one signalled event), then events arrive for S seconds at a steady rate (requests every 100 ms). Bare: one
 *   signalWithStart per event, as fast as Temporal takes them, for S seconds: its signals/s is the ceiling. The
 *   system and floor lanes' rate is --steady-rate, by default the bare lane's signals/s, then every event must be
 *   applied. Floor: each 100 ms the events due are stored and, at the same time, signalled to the running floor
 *   workflows (one signalWithStart per user carrying its events), each of which writes its profile after every
 *   wake.
 *
 * Per lane: CPU seconds and peak RSS of the lane's worker process (RSS sampled every second), FerretDB, PostgreSQL
 * (the whole process tree: a backend per connection) and Temporal CPU seconds from /proc, signals sent per event, and
 * the 1-minute load average (the box may be shared: compare a lane with its own run's bare lane).
 * The naive design (one signalWithStart per event from the request, no relay) runs with --naive-events > 0.
 * BENCH_CPU_PROF=<dir>: the worker process (and its workflow threads) write V8 CPU profiles there.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import pMap from 'p-map';
import { buildApp } from '../src/api/build-app.js';
import { loadConfig } from '../src/config.js';
import { ensureServices } from '../src/dev/services.js';
import { CONTENT_TYPES } from '../src/domain/engagement.js';
import type { EngagementEvent } from '../src/domain/interest-profile.js';
import { rebuildHotCaches } from '../src/cache/rebuild.js';
import { contentCollection, type ContentDoc } from '../src/store/content.js';
import { insertNewEvents } from '../src/store/events.js';
import { connectMongo, ensureIndexes } from '../src/store/mongo.js';
import { createRedis } from '../src/store/redis.js';
import { connectTemporal } from '../src/temporal/client.js';
import { toEngagement } from '../src/ingestion/event-relay.js';
import { signalUserEngagements } from '../src/workflow-clients/signals.js';
import { workflowIds } from '../workflows/ids.js';
import { bareTaskQueue, signalPerUser } from './lib/bare-lane.js';
import { countEventsSignal, type benchCountWorkflow } from './lib/count-workflow.js';
import type { benchFloorWorkflow } from './lib/floor-workflow.js';
import { historyShape } from './lib/history-shape.js';
import { AppliedTracker } from './lib/ingest-tracker.js';
import { eventStream, type BenchEvent } from './lib/ingest-events.js';
import type { WorkerMetrics } from './lib/worker-ipc.js';
import { childPids, loadAverage, treeCpuSeconds } from './lib/proc-cpu.js';
import { benchEnv } from './lib/bench-env.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: process.env.INGEST_USERS ?? '1000' },
    'events-per-user': { type: 'string', default: process.env.INGEST_EVENTS_PER_USER ?? '20' },
    'steady-users': { type: 'string', default: process.env.INGEST_STEADY_USERS ?? '10000' },
    'steady-seconds': { type: 'string', default: process.env.INGEST_STEADY_SECONDS ?? '60' },
    'steady-rate': { type: 'string', default: process.env.INGEST_STEADY_RATE ?? '' },
    phases: { type: 'string', default: process.env.INGEST_PHASES ?? 'cold,steady' },
    'naive-events': { type: 'string', default: process.env.INGEST_NAIVE_EVENTS ?? '0' },
  },
});
const USERS = Number(args.users);
const EVENTS = USERS * Number(args['events-per-user']);
const STEADY_USERS = Number(args['steady-users']);
const STEADY_MS = Number(args['steady-seconds']) * 1000;
const PHASES = new Set(args.phases.split(','));
const NAIVE_EVENTS = Number(args['naive-events']);
const BATCH = 1_000;
const REQUESTS_IN_FLIGHT = 4;
const TICK_MS = 100;
const NAIVE_SIGNALS_IN_FLIGHT = 32;
const STALL_MS = 180_000;
const POLL_MS = 250;
const COUNT_WORKFLOW = 'benchCountWorkflow';
const FLOOR_WORKFLOW = 'benchFloorWorkflow';
const CORES = availableParallelism();

const services = await ensureServices({ mode: 'test', stopOnSignal: true });
const env = benchEnv('ingest', services, {
  TEMPORAL_TASK_QUEUE: 'bench-ingest',
  TEMPORAL_RANKING_TASK_QUEUE: 'bench-ingest-ranking',
  RATE_LIMIT_MAX: String(1e9),
});
const config = loadConfig(env);
const mongo = await connectMongo(config);
const redis = createRedis(config);
await ensureIndexes(mongo.db);
const temporal = await connectTemporal(config);
const contents = catalog(200);
await contentCollection(mongo.db).insertMany(contents);
// As in a running deployment, the hot caches are built: feed refreshes read them, not MongoDB.
await rebuildHotCaches(mongo.db, redis, Date.now());
const summaries = new Map(contents.map((c) => [c._id, c]));
const contentIds = contents.map((c) => c._id);
const servicePids = {
  ferretdb: childPids('ferretdb'),
  postgres: childPids('postgres'),
  temporal: childPids('temporal'),
};

const worker = await startWorker('ingest-worker.ts');
const bareWorker = await startWorker('ingest-bare-worker.ts');
// workerMetrics(): one request to a worker at a time, so each answer matches its request.
const metricsQueues = new Map<ChildProcess, Promise<unknown>>();
const app = buildApp(config);
const token = (await app.ready(), `Bearer ${app.jwt.sign({ sub: 'bench-producer', roles: ['service'] })}`);

interface Usage {
  /** The worker process the lane ran on: the system's (with the relay) or the reference lanes' (bare and floor). */
  worker: 'worker' | 'lane worker';
  ms: number;
  cpu: Record<'worker' | 'ferretdb' | 'postgres' | 'temporal' | 'bench', number>;
  peakRss: number;
  userSignals: number;
  creatorSignals: number;
  load: number;
}

interface Lane {
  eventsPerSec: number;
  signalsPerSec: number;
  /** Events/s if the lane's CPU seconds (every process) kept all the box's cores busy: what CPU alone allows. */
  cpuBoundEventsPerSec: number;
}

const results: string[] = [];
console.log(
  `ingest bench: cold start ${USERS} users × ${EVENTS / USERS} events; steady state ${STEADY_USERS} users, ` +
    `${STEADY_MS / 1000} s; phases ${[...PHASES].join(',')}`,
);
if (PHASES.has('cold')) {
  const bare = await coldBare();
  const floor = await coldFloor();
  const system = await coldSystem();
  const toBare = (eventsPerSec: number) => ratio(eventsPerSec, bare.eventsPerSec);
  results.push(
    `cold start: system/bare events/s ${toBare(system.eventsPerSec)} (target ≥ 0.75×); ` +
      `floor/bare ${toBare(floor.eventsPerSec)}; system/floor ${ratio(system.eventsPerSec, floor.eventsPerSec)}`,
    `  at most, with every core busy on each lane's CPU seconds: system ${toBare(system.cpuBoundEventsPerSec)}, ` +
      `floor ${toBare(floor.cpuBoundEventsPerSec)} the bare lane's measured events/s (${CORES} cores)`,
  );
}
if (PHASES.has('steady')) {
  const users = Array.from({ length: STEADY_USERS }, (_, i) => i);
  await warmBare(users);
  const floorTracker = await warmFloor(users);
  const tracker = await warmSystem(users);
  const bare = await steadyBare(users);
  const rate = Number(args['steady-rate']) || Math.round(bare.signalsPerSec);
  const floor = await steadyFloor(floorTracker, rate);
  const system = await steadySystem(tracker, rate);
  results.push(
    `steady state: system/bare signals/s ${ratio(system.signalsPerSec, bare.signalsPerSec)} (target ≥ 0.75×, ` +
      `every event applied, lag p99 ≤ 3 s); events/s applied ${ratio(system.eventsPerSec, bare.eventsPerSec)}`,
    `  against the bare lane's signals/s applied (not only acknowledged): system ` +
      `${ratio(system.eventsPerSec, bare.appliedSignalsPerSec)} events/s applied, ` +
      `floor ${ratio(floor.eventsPerSec, bare.appliedSignalsPerSec)}`,
    `  floor/bare signals/s ${ratio(floor.signalsPerSec, bare.signalsPerSec)}, events/s applied ` +
      `${ratio(floor.eventsPerSec, bare.eventsPerSec)}; system/floor events/s ${ratio(system.eventsPerSec, floor.eventsPerSec)}`,
  );
}
if (NAIVE_EVENTS > 0) await naive();
console.log(`\n${results.join('\n')}`);

await Promise.all(
  [worker, bareWorker].map(async (child) => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('stop');
    // A worker that cannot drain (tasks stuck on an overloaded store) must not keep the bench and its services up.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }),
);
await app.close();
await Promise.allSettled([temporal.connection.close(), mongo.client.close(), redis.quit()]);
await services.stop();

// ---- lanes ----

async function coldBare(): Promise<Lane> {
  const perUser = countPerUser(
    eventStream({ userPrefix: 'bc', users: USERS, total: EVENTS, batch: EVENTS, contentIds }),
  );
  const done = await completed(COUNT_WORKFLOW);
  const { usage } = await measured(
    async () => {
      await signalPerUser(perUser, (userId, events) => signalCount(userId, events, events.length));
      await waitFor(async () => (await completed(COUNT_WORKFLOW)) - done >= perUser.size);
    },
    { lane: bareWorker },
  );
  const lane = report('cold start, bare lane', EVENTS, perUser.size, usage, `${perUser.size} new counting workflows`);
  console.log(`  ${await historyShape(temporal.client, [...perUser.keys()].map(countWorkflowId))}`);
  return lane;
}

/**
 * The least any design with MongoDB as the source of truth must do for the same events: every event stored (the
 * API's batches, as many in flight), one signalWithStart per user carrying its events, and one local activity per
 * user that restores and writes its profile (lib/floor-workflow.ts). Storing and signalling overlap: the floor
 * assumes the best case.
 */
async function coldFloor(): Promise<Lane> {
  const batches = eventStream({ userPrefix: 'bf', users: USERS, total: EVENTS, batch: BATCH, contentIds });
  const perUser = countPerUser(batches);
  const done = await completed(FLOOR_WORKFLOW);
  const { usage } = await measured(
    async () => {
      const stamped = batches.map((batch) => batch.map((e) => ({ ...e, occurredAt: new Date().toISOString() })));
      await Promise.all([
        pMap(stamped, (batch) => insertNewEvents(mongo.db, eventDocs(batch, 'floor')), {
          concurrency: REQUESTS_IN_FLIGHT,
        }),
        signalPerUser(perUser, (userId, events) => signalFloor(userId, events)),
      ]);
      await waitFor(async () => (await completed(FLOOR_WORKFLOW)) - done >= perUser.size);
    },
    { lane: bareWorker },
  );
  const lane = report('cold start, floor lane', EVENTS, perUser.size, usage, [
    `${perUser.size} new workflows, each event stored, one local activity per user (restore + write)`,
  ]);
  console.log(`  ${await historyShape(temporal.client, [...perUser.keys()].map(countWorkflowId))}`);
  return lane;
}

async function coldSystem(): Promise<Lane> {
  const tracker = new AppliedTracker(redis);
  const batches = eventStream({ userPrefix: 'u', users: USERS, total: EVENTS, batch: BATCH, contentIds });
  const { usage, result: postedMs } = await measured(
    async () => {
      const started = Date.now();
      const posted = postAll(batches, tracker).then(() => Date.now() - started);
      await trackUntilApplied(tracker, EVENTS);
      return await posted;
    },
    { tracker },
  );
  const lane = report('cold start, system', tracker.applied, usage.userSignals, usage, [
    `${EVENTS} events of ${USERS} new users, accepted by the API at ${rate(EVENTS, postedMs)} events/s`,
    lagLine(tracker, EVENTS),
  ]);
  const userIds = [...new Set(batches.flat().map((e) => e.userId))];
  console.log(`  ${await historyShape(temporal.client, userIds.map(workflowIds.userInterest))}`);
  return lane;
}

/** Starts a counting workflow for every steady-state user with an empty signal; they keep running. */
async function warmBare(users: number[]): Promise<void> {
  const started = Date.now();
  await signalPerUser(
    users.map((i) => [`bs-${i}`, 0]),
    (userId, events) => signalCount(userId, events, 0),
  );
  console.log(`\n[steady state, warm-up] ${users.length} counting workflows started in ${secs(Date.now() - started)}`);
}

/** One signalled event per steady-state floor user, until every profile shows it: their workflows are running. */
async function warmFloor(users: number[]): Promise<AppliedTracker> {
  const warm = new AppliedTracker(redis);
  const started = Date.now();
  const perUser = users.map((i): [string, number] => [`sf-${i}`, 1]);
  for (const [userId] of perUser) warm.posted(userId, started);
  await signalPerUser(perUser, (userId, events) => signalFloor(userId, events, 0));
  await trackUntilApplied(warm, users.length);
  console.log(`\n[steady state, warm-up] ${warm.applied} floor workflows running in ${secs(Date.now() - started)}`);
  const tracker = new AppliedTracker(redis);
  for (const [userId] of perUser) tracker.alreadyApplied(userId, 1);
  return tracker;
}

/** One event per steady-state user through the API, until every profile shows it: their workflows are running. */
async function warmSystem(users: number[]): Promise<AppliedTracker> {
  const warm = new AppliedTracker(redis);
  const batches = chunk(
    users.map((i) => ({
      eventId: `sw-${i}`,
      userId: `s-${i}`,
      type: 'view' as const,
      contentId: contentIds[i % 200]!,
    })),
    BATCH,
  );
  const { usage } = await measured(
    async () => {
      await postAll(batches, warm);
      await trackUntilApplied(warm, users.length);
    },
    { tracker: warm },
  );
  report('steady state, warm-up (system)', warm.applied, usage.userSignals, usage, [
    `${users.length} new users × 1 event`,
    lagLine(warm, users.length),
  ]);
  const tracker = new AppliedTracker(redis);
  for (const i of users) tracker.alreadyApplied(`s-${i}`, 1);
  return tracker;
}

/**
 * One signalWithStart per event to running counting workflows, as fast as Temporal takes them, for STEADY_MS; its
 * signals/s is what Temporal acknowledged. Then it waits until the workflows have counted every event (their sink,
 * lib/count-workflow.ts), which gives the rate at which they were applied, the system's own measure.
 */
async function steadyBare(users: number[]): Promise<Lane & { appliedSignalsPerSec: number }> {
  let sent = 0;
  const countedBefore = (await workerMetrics(bareWorker)).counted;
  const started = Date.now();
  const { usage } = await measured(
    async () => {
      const until = Date.now() + STEADY_MS;
      let seed = 11;
      const events = function* (): Generator<[string, number]> {
        while (Date.now() < until) {
          seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
          yield [`bs-${users[seed % users.length]!}`, 1];
        }
      };
      await signalPerUser(events(), async (userId, batch) => {
        await signalCount(userId, batch, 0);
        sent++;
      });
    },
    { lane: bareWorker },
  );
  const lane = report(
    'steady state, bare lane',
    sent,
    sent,
    usage,
    [`${users.length} running counting workflows, one signalWithStart per event`],
    'signalled (acknowledged by Temporal)',
  );
  await waitFor(async () => (await workerMetrics(bareWorker)).counted - countedBefore >= sent);
  const counted = (await workerMetrics(bareWorker)).counted - countedBefore;
  const appliedMs = Date.now() - started;
  const appliedSignalsPerSec = counted / (appliedMs / 1000);
  console.log(
    `  counted by its workflows: ${counted} of ${sent} events in ${secs(appliedMs)} → ` +
      `${appliedSignalsPerSec.toFixed(0)} signals/s applied (polled every ${POLL_MS} ms)`,
  );
  return { ...lane, appliedSignalsPerSec };
}

/**
 * The floor at steady state: events at `perSec` for STEADY_MS, every TICK_MS those due stored (as one API request
 * would) and, at the same time, signalled to the users' running floor workflows, one signalWithStart per user
 * carrying its events; then all applied. The same users and events as the system's lane.
 */
async function steadyFloor(tracker: AppliedTracker, perSec: number): Promise<Lane> {
  const events = steadyEvents('sf', perSec);
  let signals = 0;
  const storeAndSignal = async (batch: BenchEvent[]) => {
    await Promise.all([
      batch.length > 0 ? insertNewEvents(mongo.db, eventDocs(batch, 'floor')) : undefined,
      signalPerUser(countPerUser([batch]), async (userId, userEvents) => {
        await signalFloor(userId, userEvents, 0);
        signals++;
      }),
    ]);
  };
  const { usage, result: sentMs } = await measured(
    () => offerSteadily(events, perSec, tracker, (due) => post(due, tracker, storeAndSignal)),
    { tracker, lane: bareWorker },
  );
  return report('steady state, floor lane', tracker.applied, signals, usage, [
    `${events.length} events to ${STEADY_USERS} running floor workflows, offered at ${perSec}/s, ` +
      `sent at ${rate(events.length, sentMs)} events/s over ${secs(sentMs)}`,
    lagLine(tracker, events.length),
  ]);
}

/** Events at `perSec` for STEADY_MS, in a request every TICK_MS, to users whose workflows run; then all applied. */
async function steadySystem(tracker: AppliedTracker, perSec: number): Promise<Lane> {
  const events = steadyEvents('s', perSec);
  const { usage, result: postedMs } = await measured(
    () =>
      offerSteadily(events, perSec, tracker, async (due) => {
        for (const batch of chunk(due, BATCH)) await post(batch, tracker);
      }),
    { tracker },
  );
  return report('steady state, system', tracker.applied, usage.userSignals, usage, [
    `${events.length} events to ${STEADY_USERS} running workflows, offered at ${perSec}/s, ` +
      `accepted at ${rate(events.length, postedMs)} events/s over ${secs(postedMs)}`,
    lagLine(tracker, events.length),
  ]);
}

/** STEADY_MS worth of events at `perSec` for the steady-state users named `<prefix>-<i>`. */
function steadyEvents(userPrefix: string, perSec: number): Omit<BenchEvent, 'occurredAt'>[] {
  const total = Math.round((perSec * STEADY_MS) / 1000);
  return eventStream({ userPrefix, users: STEADY_USERS, total, batch: total, contentIds })[0] ?? [];
}

/**
 * Hands `send` the events due at `perSec` every TICK_MS until all are sent, then waits until `tracker` has seen them
 * all applied; returns how long sending took.
 */
async function offerSteadily(
  events: Omit<BenchEvent, 'occurredAt'>[],
  perSec: number,
  tracker: AppliedTracker,
  send: (due: Omit<BenchEvent, 'occurredAt'>[]) => Promise<void>,
): Promise<number> {
  const started = Date.now();
  const tracking = trackUntilApplied(tracker, events.length);
  for (let sent = 0; sent < events.length;) {
    const due = Math.min(events.length, Math.round((perSec * (Date.now() - started)) / 1000));
    await send(events.slice(sent, due));
    sent = due;
    await sleep(TICK_MS);
  }
  const sentMs = Date.now() - started;
  await tracking;
  return sentMs;
}

/** The naive design on a slice: store the batch, then one signalWithStart per event before answering. */
async function naive(): Promise<void> {
  const tracker = new AppliedTracker(redis);
  const users = Math.max(1, Math.round((NAIVE_EVENTS * USERS) / EVENTS));
  const batches = eventStream({ userPrefix: 'n', users, total: NAIVE_EVENTS, batch: BATCH, contentIds });
  const { usage } = await measured(
    async () => {
      await Promise.all([postAll(batches, tracker, naiveRequest), trackUntilApplied(tracker, NAIVE_EVENTS)]);
    },
    { tracker },
  );
  report('naive (one signal per event)', tracker.applied, NAIVE_EVENTS, usage, [lagLine(tracker, NAIVE_EVENTS)]);
}

// ---- sending ----

function countWorkflowId(userId: string): string {
  return `bench-count-${userId}`;
}

async function signalCount(userId: string, events: EngagementEvent[], expected: number): Promise<void> {
  const args: Parameters<typeof benchCountWorkflow> = [expected];
  await signalReferenceLane(COUNT_WORKFLOW, userId, events, args);
}

/** `expected` 0: a steady-state floor workflow, which keeps running. */
async function signalFloor(userId: string, events: EngagementEvent[], expected = events.length): Promise<void> {
  const args: Parameters<typeof benchFloorWorkflow> = [userId, expected];
  await signalReferenceLane(FLOOR_WORKFLOW, userId, events, args);
}

/** A signalWithStart to a reference lane's workflow (bare or floor), on the lanes' own task queue. */
async function signalReferenceLane(
  workflowType: string,
  userId: string,
  events: EngagementEvent[],
  args: unknown[],
): Promise<void> {
  await temporal.client.workflow.signalWithStart(workflowType, {
    workflowId: countWorkflowId(userId),
    taskQueue: bareTaskQueue(config.TEMPORAL_TASK_QUEUE),
    args,
    signal: countEventsSignal,
    signalArgs: [{ events }],
  });
}

async function completed(workflowType: string): Promise<number> {
  const query = `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Completed'`;
  return (await temporal.client.workflow.count(query)).count;
}

/** Posts batches REQUESTS_IN_FLIGHT at a time, each event stamped with its request's start. */
async function postAll(
  batches: Omit<BenchEvent, 'occurredAt'>[][],
  tracker: AppliedTracker,
  send: (batch: BenchEvent[]) => Promise<void> = apiRequest,
): Promise<void> {
  await pMap(batches, (batch) => post(batch, tracker, send), { concurrency: REQUESTS_IN_FLIGHT });
}

async function post(
  events: Omit<BenchEvent, 'occurredAt'>[],
  tracker: AppliedTracker,
  send: (batch: BenchEvent[]) => Promise<void> = apiRequest,
): Promise<void> {
  const at = Date.now();
  const batch = events.map((e) => ({ ...e, occurredAt: new Date(at).toISOString() }));
  for (const e of batch) tracker.posted(e.userId, at);
  await send(batch);
}

async function apiRequest(batch: BenchEvent[]): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: token },
    payload: { events: batch },
  });
  if (res.statusCode !== 202) throw new Error(`POST /events answered ${res.statusCode}: ${res.body}`);
}

/** A batch as the events collection stores it. */
function eventDocs(batch: BenchEvent[], batchId: string) {
  const now = new Date();
  return batch.map(({ eventId, occurredAt, ...rest }) => ({
    ...rest,
    _id: eventId,
    occurredAt: new Date(occurredAt),
    receivedAt: now,
    batchId,
  }));
}

async function naiveRequest(batch: BenchEvent[]): Promise<void> {
  const docs = eventDocs(batch, 'naive');
  await insertNewEvents(mongo.db, docs);
  await pMap(
    docs,
    (doc) => signalUserEngagements(temporal.client, config, doc.userId, [toEngagement(doc, summaries)]),
    {
      concurrency: NAIVE_SIGNALS_IN_FLIGHT,
    },
  );
}

// ---- measuring ----

/** Polled from the first request on, so early events are not seen late; gives up after STALL_MS without progress. */
async function trackUntilApplied(tracker: AppliedTracker, total: number): Promise<void> {
  let applied = -1;
  let lastProgress = Date.now();
  while (tracker.applied < total && Date.now() - lastProgress < STALL_MS) {
    await sleep(POLL_MS);
    await tracker.poll();
    if (tracker.applied > applied) [applied, lastProgress] = [tracker.applied, Date.now()];
  }
}

async function waitFor(done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STALL_MS;
  while (!(await done()) && Date.now() < deadline) await sleep(POLL_MS);
}

/**
 * Runs a lane and what it cost: CPU seconds of each process, the worker's peak RSS (sampled every second), the
 * signals the relay sent, the 1-minute load average at the end. With a tracker, the lane ends at its last applied
 * event (what the throughput is measured over), else when `body` returns.
 */
async function measured<T>(
  body: () => Promise<T>,
  { tracker, lane = worker }: { tracker?: AppliedTracker; lane?: ChildProcess } = {},
): Promise<{ result: T; usage: Usage }> {
  const cpuBefore = cpuNow(lane);
  const metricsBefore = await workerMetrics(worker);
  let peakRss = (await workerMetrics(lane)).rss;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(1_000);
      peakRss = Math.max(peakRss, (await workerMetrics(lane)).rss);
    }
  })();
  const started = Date.now();
  const result = await body();
  const ended = Date.now();
  sampling = false;
  await sampler;
  const metricsAfter = await workerMetrics(worker);
  peakRss = Math.max(peakRss, (await workerMetrics(lane)).rss);
  const cpuAfter = cpuNow(lane);
  const signals = (name: string) => (metricsAfter.signals[name] ?? 0) - (metricsBefore.signals[name] ?? 0);
  const cpu = Object.fromEntries(
    Object.entries(cpuAfter).map(([k, v]) => [k, v - cpuBefore[k as keyof Usage['cpu']]]),
  ) as Usage['cpu'];
  return {
    result,
    usage: {
      worker: lane === worker ? 'worker' : 'lane worker',
      ms: (tracker && tracker.lastSeenAtMs > started ? tracker.lastSeenAtMs : ended) - started,
      cpu,
      peakRss,
      userSignals: signals('user-interest'),
      creatorSignals: signals('creator-stats'),
      load: loadAverage(),
    },
  };
}

function cpuNow(lane: ChildProcess): Usage['cpu'] {
  const sum = (pids: number[]) => pids.reduce((s, pid) => s + treeCpuSeconds(pid), 0);
  const self = process.cpuUsage();
  return {
    worker: lane.pid ? treeCpuSeconds(lane.pid) : NaN,
    ferretdb: sum(servicePids.ferretdb),
    postgres: sum(servicePids.postgres),
    temporal: sum(servicePids.temporal),
    bench: (self.user + self.system) / 1e6,
  };
}

function workerMetrics(child: ChildProcess): Promise<WorkerMetrics> {
  const next = (metricsQueues.get(child) ?? Promise.resolve()).then(
    () =>
      new Promise<WorkerMetrics>((resolve) => {
        child.once('message', (m) => resolve(m as WorkerMetrics));
        child.send('metrics');
      }),
  );
  metricsQueues.set(child, next);
  return next;
}

function report(
  name: string,
  events: number,
  signals: number,
  usage: Usage,
  lines: string | string[],
  done = 'applied',
): Lane {
  const eventsPerSec = events / (usage.ms / 1000);
  const signalsPerSec = signals / (usage.ms / 1000);
  const { worker: w, ferretdb, postgres, temporal: t, bench } = usage.cpu;
  const creator = usage.creatorSignals > 0 ? ` (+ ${usage.creatorSignals} creator-stats signals)` : '';
  console.log(
    [
      `\n[${name}]`,
      ...[lines].flat(),
      `${done} ${events} events in ${secs(usage.ms)} → ${eventsPerSec.toFixed(0)} events/s`,
      `signals ${signals}${creator} → ${(signals / events).toFixed(3)} per event, ${signalsPerSec.toFixed(0)} signals/s`,
      `CPU s: ${usage.worker} ${w.toFixed(1)}, FerretDB ${ferretdb.toFixed(1)} + PostgreSQL ${postgres.toFixed(1)}, ` +
        `Temporal ${t.toFixed(1)}, bench+API ${bench.toFixed(1)}; ${usage.worker} peak RSS ${mb(usage.peakRss)} MB; ` +
        `load ${usage.load.toFixed(2)}`,
    ].join('\n  '),
  );
  const cpuSeconds = w + ferretdb + postgres + t + bench;
  return { eventsPerSec, signalsPerSec, cpuBoundEventsPerSec: events / (cpuSeconds / CORES) };
}

function lagLine(tracker: AppliedTracker, total: number): string {
  const missing = total - tracker.applied;
  return (
    `event→profile lag: p50 ${secs(tracker.percentile(50))}, p99 ${secs(tracker.percentile(99))}` +
    (missing > 0 ? `; ${missing} events NOT applied` : '; every event applied')
  );
}

// ---- helpers ----

async function startWorker(file: string): Promise<ChildProcess> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = fork(fileURLToPath(new URL(`./lib/${file}`, import.meta.url)), {
    env,
    execArgv: ['--import', 'tsx', ...profile],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
  return child;
}

function countPerUser(batches: { userId: string }[][]): Map<string, number> {
  const perUser = new Map<string, number>();
  for (const e of batches.flat()) perUser.set(e.userId, (perUser.get(e.userId) ?? 0) + 1);
  return perUser;
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

function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}

function rate(n: number, ms: number): string {
  return (n / (ms / 1000)).toFixed(0);
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
