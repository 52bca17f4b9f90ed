/**
 * Viewer presence throughput on one station with 10k concurrent viewers: join events/s while the audience builds
 * up, then join/leave churn and heartbeats per second at 10k, straight against Redis (the Lua scripts in
 * src/store/viewers.ts) and through the REST route (app.inject: auth, validation, rate limit, script). Prints
 * figures; it is not a test. Starts its own throw-away services. Run: npx tsx bench/viewers.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/api/build-app.js';
import { loadConfig } from '../src/config.js';
import { ensureServices } from '../src/dev/services.js';
import { createRedis } from '../src/store/redis.js';
import { changeViewer, openShowViewers, viewerCounts, type ViewerChange } from '../src/store/viewers.js';
import { benchEnv } from './lib/bench-env.js';

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 10_000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 200);
const CHURN_EVENTS = Number(process.env.BENCH_CHURN_EVENTS ?? 20_000);
const TIMEOUT_MS = 45_000;

const services = await ensureServices({ mode: 'test' });
const config = loadConfig(benchEnv('viewers', services, { RATE_LIMIT_MAX: String(10 * (VIEWERS + CHURN_EVENTS)) }));
const redis = createRedis(config);
await new Promise((resolve) => redis.once('ready', resolve));

/** Runs `count` operations with at most IN_FLIGHT outstanding; returns events/s. */
async function throughput(count: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(IN_FLIGHT, count) }, async () => {
      for (let i = next++; i < count; i = next++) await op(i);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const viewer = (i: number) => ({ userId: `user-${i}`, clientId: `client-${i}` });
const figures: Record<string, number> = {};
const report = (name: string, value: number, extra = ''): void => {
  figures[name] = Math.round(value);
  console.log(`${name.padEnd(44)} ${Math.round(value).toLocaleString('en-US').padStart(10)} events/s ${extra}`);
};

async function redisPhase(stationId: string): Promise<void> {
  await openShowViewers(redis, stationId, 'bench-show');
  const change = (i: number, kind: ViewerChange) =>
    changeViewer(redis, stationId, viewer(i), kind, { nowMs: Date.now(), timeoutMs: TIMEOUT_MS });
  report('redis: join (audience 0 → 10k)', await throughput(VIEWERS, (i) => change(i, 'join')));
  // Churn at a steady 10k: even events leave a present viewer, odd ones bring them back.
  report(
    'redis: join/leave churn at 10k',
    await throughput(CHURN_EVENTS, (i) => change(Math.floor(i / 2) % VIEWERS, i % 2 === 0 ? 'leave' : 'join')),
  );
  report('redis: heartbeat at 10k', await throughput(CHURN_EVENTS, (i) => change(i % VIEWERS, 'heartbeat')));
  const counts = await viewerCounts(redis, stationId, { nowMs: Date.now(), timeoutMs: TIMEOUT_MS });
  console.log(`  counts after: ${JSON.stringify(counts)}`);
}

async function apiPhase(stationId: string): Promise<void> {
  const app = buildApp(config, { logger: false });
  await app.ready();
  await openShowViewers(redis, stationId, 'bench-show-api');
  // Tokens are signed up front: minting is the identity provider's cost, not the API's.
  const tokens = Array.from(
    { length: VIEWERS },
    (_, i) => `Bearer ${app.jwt.sign({ sub: `user-${i}`, roles: ['user'] })}`,
  );
  const post = (i: number, kind: ViewerChange) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/stations/${stationId}/viewers/${kind}`,
      headers: { authorization: tokens[i] ?? '' },
      payload: { clientId: `client-${i}` },
    });
  report('api (inject): join (audience 0 → 10k)', await throughput(VIEWERS, (i) => post(i, 'join')));
  report(
    'api (inject): join/leave churn at 10k',
    await throughput(CHURN_EVENTS, (i) => post(Math.floor(i / 2) % VIEWERS, i % 2 === 0 ? 'leave' : 'join')),
  );
  const counts = await viewerCounts(redis, stationId, { nowMs: Date.now(), timeoutMs: TIMEOUT_MS });
  console.log(`  counts after: ${JSON.stringify(counts)}`);
  await app.close();
}

try {
  console.log(`${VIEWERS} viewers on one station, ${IN_FLIGHT} requests in flight, ${CHURN_EVENTS} churn events`);
  await redisPhase('bench-station');
  await apiPhase('bench-station-api');
  if (process.env.BENCH_RESULTS_DIR) {
    writeFileSync(join(process.env.BENCH_RESULTS_DIR, 'viewers.json'), JSON.stringify(figures, null, 2));
  }
} finally {
  redis.disconnect();
  await services.stop();
}
