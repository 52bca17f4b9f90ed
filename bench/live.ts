/**
 * Live updates: STREAMS concurrent SSE streams on one station, split over two API instances (as behind a load
 * balancer), and the latency from the TV station activity's state change (publishStationState: the Mongo write
 * and the live publish a workflow runs) to each client receiving the event, p50/p99 over ROUNDS changes. Baseline
 * in the same run: a bare Redis PUBLISH to one subscriber in this process, the floor any fan-out stands on.
 * Starts its own throw-away services. Run: npx tsx bench/live.ts (BENCH_LIVE_STREAMS, BENCH_LIVE_ROUNDS).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTvStationActivities } from '../activities/tv-station.js';
import { buildApp, type ApiInstance } from '../src/api/build-app.js';
import { loadConfig } from '../src/config.js';
import { ensureServices } from '../src/dev/services.js';
import { freePort } from '../src/dev/ports.js';
import { connectMongo } from '../src/store/mongo.js';
import { createRedis } from '../src/store/redis.js';
import { insertStation } from '../src/store/stations.js';
import { benchEnv } from './lib/bench-env.js';

const STREAMS = Number(process.env.BENCH_LIVE_STREAMS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_LIVE_ROUNDS ?? 20);
const STATION = 'bench-live-station';

const services = await ensureServices({ mode: 'test' });
const config = loadConfig(benchEnv('live', services, { RATE_LIMIT_MAX: String(10 * STREAMS) }));
const ready = async () => {
  const redis = createRedis(config);
  await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
};
const redis = await ready();
const mongo = await connectMongo(config);
const now = new Date();
await insertStation(mongo.db, {
  ...{ _id: STATION, ownerId: 'bench', name: 'Bench TV', description: '' },
  ...{ createdAt: now, updatedAt: now, status: 'offline', liveShow: null, nextShowAt: null },
});

const apps: ApiInstance[] = [buildApp(config, { logger: false }), buildApp(config, { logger: false })];
const urls: string[] = [];
for (const app of apps) {
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  urls.push(`http://127.0.0.1:${port}`);
}

/** Per round, the receive times of every stream, filled as events arrive. */
const received: number[][] = Array.from({ length: ROUNDS }, () => []);
const sentAt: number[] = [];
let waiting: { round: number; resolve: () => void } | undefined;

/** One per stream: the streams end before the API instances close, which wait for open connections. */
const streamAborts: AbortController[] = [];

async function openStream(i: number): Promise<void> {
  const app = apps[i % apps.length]!;
  const token = app.jwt.sign({ sub: `viewer-${i}`, roles: ['user'] });
  const abort = new AbortController();
  streamAborts.push(abort);
  const res = await fetch(`${urls[i % urls.length]}/api/v1/live/stations/${STATION}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (res.status !== 200) throw new Error(`stream ${i}: ${res.status} ${await res.text()}`);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let opened: () => void = () => undefined;
  const firstFrame = new Promise<void>((resolve) => (opened = resolve));
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: '', done: true }));
      if (done) return;
      opened();
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (!frame.includes('event: status') || !data) continue;
        const round = new Date((JSON.parse(data) as { nextShowAt: string }).nextShowAt).getTime();
        received[round]!.push(performance.now());
        if (waiting?.round === round && received[round]!.length === STREAMS) waiting.resolve();
      }
    }
  })();
  await firstFrame;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

// Baseline: PUBLISH → one subscriber's message event, same Redis, same process.
const subscriber = await ready();
const pubsubChannel = `bench-baseline:${process.pid}`;
await subscriber.subscribe(pubsubChannel);
const baseline: number[] = [];
for (let i = 0; i < ROUNDS * 10; i++) {
  const started = performance.now();
  await new Promise<void>((resolve) => {
    subscriber.once('message', () => resolve());
    void redis.publish(pubsubChannel, String(i));
  });
  baseline.push(performance.now() - started);
}

const openStarted = performance.now();
for (let i = 0; i < STREAMS; i += 100) {
  await Promise.all(Array.from({ length: Math.min(100, STREAMS - i) }, (_, j) => openStream(i + j)));
}
const openSeconds = (performance.now() - openStarted) / 1000;

const activities = createTvStationActivities({ db: mongo.db, redis, config });
const latencies: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const delivered = new Promise<void>((resolve) => (waiting = { round, resolve }));
  sentAt[round] = performance.now();
  await activities.publishStationState({ stationId: STATION, status: 'scheduled', live: null, nextShowAtMs: round });
  await Promise.race([delivered, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  for (const at of received[round]!) latencies.push(at - sentAt[round]!);
}

const delivered = latencies.length;
const figures = {
  streams: STREAMS,
  rounds: ROUNDS,
  openSeconds: Number(openSeconds.toFixed(2)),
  deliveredShare: Number((delivered / (STREAMS * ROUNDS)).toFixed(4)),
  p50Ms: Number(percentile(latencies, 50).toFixed(2)),
  p99Ms: Number(percentile(latencies, 99).toFixed(2)),
  baselineP50Ms: Number(percentile(baseline, 50).toFixed(3)),
  baselineP99Ms: Number(percentile(baseline, 99).toFixed(3)),
};
console.log(
  `streams held open                    ${STREAMS} over ${apps.length} API instances (opened in ${figures.openSeconds}s)`,
);
console.log(`events delivered                     ${delivered} of ${STREAMS * ROUNDS}`);
console.log(`activity change → client, p50 / p99  ${figures.p50Ms} ms / ${figures.p99Ms} ms`);
console.log(`baseline Redis PUBLISH → subscriber  ${figures.baselineP50Ms} ms / ${figures.baselineP99Ms} ms`);
console.log(`ratio p50 / baseline p50             ${(figures.p50Ms / figures.baselineP50Ms).toFixed(1)}x`);
if (process.env.BENCH_RESULTS_DIR) {
  writeFileSync(join(process.env.BENCH_RESULTS_DIR, 'live.json'), JSON.stringify(figures, null, 2));
}

for (const abort of streamAborts) abort.abort();
await Promise.all(apps.map((app) => app.close()));
await Promise.allSettled([redis.quit(), subscriber.quit(), mongo.client.close()]);
await services.stop();
process.exit(0);
