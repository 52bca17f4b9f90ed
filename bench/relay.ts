/**
 * Relay capacity with one and with two relays (each worker runs one), beside a bare lane that sends the same users'
 * events straight to Temporal, one signalWithStart per user, with no outbox. Prints events drained per second, the
 * signals sent per event and each lane's ratio to the bare lane, all in one run on fresh local services.
 *
 *   npm run bench -- relay                                  # 2,000 users × 10 events per lane
 *   npx tsx bench/relay.ts --users 500 --events-per-user 10  # a quick run
 *   npx tsx bench/relay.ts --batch 1000                       # few, large requests
 *
 * The events of a lane are accepted through POST /api/v1/events while no relay runs, so every lane starts from the
 * same full outbox. No worker runs: the signals start user workflows that wait, so only the sending side is
 * measured. Each relay has its own MongoDB and Temporal connections, as in its own worker process; both relays share
 * this process's event loop, which the relay's awaits leave mostly idle.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { buildApp } from '../src/api/build-app.js';
import { loadConfig } from '../src/config.js';
import { ensureServices } from '../src/dev/services.js';
import { outboxCollection } from '../src/store/event-outbox.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../src/store/mongo.js';
import { connectTemporal, type TemporalClient } from '../src/temporal/client.js';
import { startEventRelay } from '../src/ingestion/event-relay.js';
import { relayLeasesExpired, relayLeasesLost } from '../src/ingestion/relay-metrics.js';
import { temporalSignals } from '../src/workflow-clients/metrics.js';
import { signalUserEngagements } from '../src/workflow-clients/signals.js';
import { signalPerUser } from './lib/bare-lane.js';
import { eventStream } from './lib/ingest-events.js';
import { benchEnv } from './lib/bench-env.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: process.env.RELAY_BENCH_USERS ?? '2000' },
    'events-per-user': { type: 'string', default: process.env.RELAY_BENCH_EVENTS_PER_USER ?? '10' },
    batch: { type: 'string', default: process.env.RELAY_BENCH_BATCH ?? '20' },
  },
});
const USERS = Number(args.users);
const EVENTS = USERS * Number(args['events-per-user']);
// Events per request: apps send small batches, so the outbox holds many entries and a round (RELAY_ENTRIES_PER_ROUND)
// does not take them all; with 1,000-event batches one relay takes a whole small backlog in one round.
const BATCH = Number(args.batch);
// Items not in the catalog: no creator is credited, so every signal counted here is a user-interest signal.
const CONTENT_IDS = ['bench-relay-item-1', 'bench-relay-item-2', 'bench-relay-item-3'];

const services = await ensureServices({ mode: 'test', stopOnSignal: true });
const config = loadConfig(
  benchEnv('relay', services, {
    TEMPORAL_TASK_QUEUE: 'bench-relay',
    RATE_LIMIT_MAX: String(1e9),
    RELAY_INTERVAL_MS: '50',
  }),
);
const logger = pino({ level: 'warn' });
const mongo = await connectMongo(config);
await ensureIndexes(mongo.db);
const app = buildApp(config);
await app.ready();
const token = `Bearer ${app.jwt.sign({ sub: 'bench-producer', roles: ['service'] })}`;

interface LaneResult {
  eventsPerSec: number;
  signalsPerSec: number;
}

console.log(`relay bench: ${USERS} users, ${EVENTS} events per lane (batches of ${BATCH})`);
const bare = await bareLane('bare');
const one = await relayLane('one relay', 'r1', 1);
const two = await relayLane('two relays', 'r2', 2);
console.log(
  `\nrelay/bare drained events/s: one relay ${(one.eventsPerSec / bare.eventsPerSec).toFixed(2)}×, ` +
    `two relays ${(two.eventsPerSec / bare.eventsPerSec).toFixed(2)}×; ` +
    `two/one ${(two.eventsPerSec / one.eventsPerSec).toFixed(2)}×`,
);
// Signals/s near the bare lane's means Temporal, not the relay, sets the pace on this machine.
console.log(
  `relay/bare signals/s: one relay ${(one.signalsPerSec / bare.signalsPerSec).toFixed(2)}×, ` +
    `two relays ${(two.signalsPerSec / bare.signalsPerSec).toFixed(2)}×`,
);

await app.close();
await mongo.client.close();
await services.stop();

/** Posts a lane's events through the API with no relay running; returns them grouped per user. */
async function fillOutbox(prefix: string): Promise<Map<string, number>> {
  const batches = eventStream({
    userPrefix: prefix,
    users: USERS,
    total: EVENTS,
    batch: BATCH,
    contentIds: CONTENT_IDS,
  });
  const perUser = new Map<string, number>();
  for (const batch of batches) {
    const occurredAt = new Date().toISOString();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: token },
      payload: { events: batch.map((e) => ({ ...e, occurredAt })) },
    });
    if (res.statusCode !== 202) throw new Error(`POST /events answered ${res.statusCode}: ${res.body}`);
    for (const e of batch) perUser.set(e.userId, (perUser.get(e.userId) ?? 0) + 1);
  }
  return perUser;
}

async function relayLane(name: string, prefix: string, relays: number): Promise<LaneResult> {
  await fillOutbox(prefix);
  const entries = await outboxCollection(mongo.db).countDocuments({});
  const connections = await Promise.all(
    Array.from({ length: relays }, async () => ({
      mongo: await connectMongo(config),
      temporal: await connectTemporal(config),
    })),
  );
  const sentBefore = await signalsSent();
  const leasesBefore = await leaseTakeovers();
  const started = Date.now();
  const running = connections.map((c, i) =>
    startEventRelay({ db: c.mongo.db, temporal: c.temporal.client, config, logger, owner: `${prefix}-${i}` }),
  );
  while ((await outboxCollection(mongo.db).countDocuments({})) > 0) await sleep(50);
  const ms = Date.now() - started;
  await Promise.all(running.map((relay) => relay.stop()));
  const signals = (await signalsSent()) - sentBefore;
  const leases = await leaseTakeovers();
  await Promise.all(connections.map((c) => closeConnections(c)));
  // A round outlasting RELAY_LEASE_MS without renewal would show here as leases taken over and lost.
  const takeovers = `leases taken over ${leases.expired - leasesBefore.expired}, lost ${leases.lost - leasesBefore.lost}`;
  return report(name, { ms, signals, extra: `${entries} outbox entries; ${takeovers}` });
}

/** The same users and events, one signalWithStart per user straight from here: the ceiling of any relay. */
async function bareLane(name: string): Promise<LaneResult> {
  const perUser = [...(await fillOutbox('bare'))];
  await outboxCollection(mongo.db).deleteMany({}); // this lane signals without the relay
  const temporal = await connectTemporal(config);
  const sentBefore = await signalsSent();
  const started = Date.now();
  // The relay's own helper and concurrency, so the lanes differ only in what they signal.
  await signalPerUser(perUser, (userId, events) => signalUserEngagements(temporal.client, config, userId, events));
  const ms = Date.now() - started;
  const signals = (await signalsSent()) - sentBefore;
  await temporal.connection.close();
  return report(name, { ms, signals, extra: 'no outbox' });
}

function report(name: string, run: { ms: number; signals: number; extra: string }): LaneResult {
  const eventsPerSec = EVENTS / (run.ms / 1000);
  const signalsPerSec = run.signals / (run.ms / 1000);
  console.log(
    `\n[${name}] ${EVENTS} events of ${USERS} users (${run.extra})` +
      `\n  drained in ${(run.ms / 1000).toFixed(1)} s → ${eventsPerSec.toFixed(0)} events/s` +
      `\n  signals sent: ${run.signals} → ${(run.signals / EVENTS).toFixed(3)} per event, ` +
      `${(run.signals / USERS).toFixed(2)} per user, ${signalsPerSec.toFixed(0)} signals/s`,
  );
  return { eventsPerSec, signalsPerSec };
}

async function signalsSent(): Promise<number> {
  const { values } = await temporalSignals.get();
  return values
    .filter((v) => v.labels.workflow === 'user-interest' && v.labels.outcome === 'ok')
    .reduce((sum, v) => sum + v.value, 0);
}

async function leaseTakeovers(): Promise<{ expired: number; lost: number }> {
  const total = async (counter: typeof relayLeasesLost) =>
    (await counter.get()).values.reduce((sum, v) => sum + v.value, 0);
  return { expired: await total(relayLeasesExpired), lost: await total(relayLeasesLost) };
}

async function closeConnections(c: { mongo: MongoStore; temporal: TemporalClient }): Promise<void> {
  await Promise.allSettled([c.mongo.client.close(), c.temporal.connection.close()]);
}
