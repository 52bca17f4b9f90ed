/**
 * The request paths at production-like volume: a platform of 100k users, 50k items and 1M events written straight
 * into MongoDB (bench/volume-data.ts), the hot cache rebuilt from it, then on the API in its own process, as operators
 * run it (`src/api/server.ts`), with this process only sending requests (bench/lib/http-get.ts):
 * 1. GET /api/v1/feed online (nothing precomputed: each request is another user's first);
 * 2. GET /api/v1/feed precomputed (one stored feed, paged), 4 at a time and in autocannon rounds;
 * 3. GET /api/v1/users/:id/similar;
 * each beside a bare Fastify route that reads one Redis key (bench/volume-bare.ts, also its own process), loaded the
 * same way in the same run: one request at a time (latency of the path itself) and 4 at a time (a saturated
 * single-threaded server: each request also waits for the others, p50 ≈ 4 × the CPU of one); and the online
 * feed's candidate gathering from MongoDB (the fallback path) on a sample, to show what the cache saves. Every path
 * first gets a warm-up round of its own on other users (printed, not judged).
 * `--quick` loads a tenth; `--users N --items N --events N` any size. Prints figures; not a test.
 * Run: npm run bench -- volume [-- --quick]
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDevTokenSigner } from '../src/api/token-signer.js';
import { rebuildHotCaches } from '../src/cache/rebuild.js';
import { loadConfig } from '../src/config.js';
import { ensureServices } from '../src/dev/services.js';
import { candidatesFromCache } from '../src/ranking/cached-candidates.js';
import { candidatesFromStore, DEFAULT_CANDIDATE_LIMITS } from '../src/ranking/candidates.js';
import { readProfile } from '../src/cache/profiles.js';
import { connectMongo, ensureIndexes } from '../src/store/mongo.js';
import { createRedis } from '../src/store/redis.js';
import { envOf, freeLoopbackPort, startProcess, waitForOk, type StartedProcess } from '../test/helpers/processes.js';
import { load, type Load } from './lib/autocannon.js';
import { closeHttpGet, httpGet } from './lib/http-get.js';
import { loadVolume, userId } from './volume-data.js';
import { benchEnv } from './lib/bench-env.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    users: { type: 'string' },
    items: { type: 'string' },
    events: { type: 'string' },
  },
});
const scale = flags.quick ? 10 : 1;
const size = {
  users: Number(flags.users ?? 100_000 / scale),
  items: Number(flags.items ?? 50_000 / scale),
  events: Number(flags.events ?? 1_000_000 / scale),
};
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 400);
const CONCURRENCY = [1, 4] as const;
const figures: Record<string, number> = { ...size };

const services = await ensureServices({ mode: 'test' });
const config = loadConfig(benchEnv('volume', services, { RATE_LIMIT_MAX: '1000000000' }));
const mongo = await connectMongo(config);
await ensureIndexes(mongo.db);
const redis = createRedis(config);
await new Promise((resolve) => redis.once('ready', resolve));
const nowMs = Date.now();

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0; // prettier-ignore

interface Timed {
  p50: number;
  p99: number;
  rps: number;
}

/** `count` requests, `concurrency` at a time, each timed from send to the whole body received (bench/lib/http-get.ts). */
async function timedRequests(
  count: number,
  concurrency: number,
  request: (i: number) => Promise<number>,
): Promise<Timed> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        const status = await request(i);
        if (status !== 200) throw new Error(`request ${i}: ${status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rps: count / seconds };
}

function report(name: string, t: Timed | Load): void {
  const key = name.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
  Object.assign(figures, { [`${key}_p50_ms`]: t.p50, [`${key}_p99_ms`]: t.p99, [`${key}_rps`]: Math.round(t.rps) });
  console.log(`${name.padEnd(40)} p50 ${t.p50.toFixed(1).padStart(6)} ms  p99 ${t.p99.toFixed(1).padStart(6)} ms  ${Math.round(t.rps).toLocaleString('en-US').padStart(7)} req/s`); // prettier-ignore
}

const signer = await createDevTokenSigner(config);
const processes: StartedProcess[] = [];
/** A process of the API's kind on a free port, answering /ready; returns its base URL. */
async function serve(args: string[]): Promise<string> {
  const port = await freeLoopbackPort();
  const started = startProcess(args, envOf(config, { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' }));
  processes.push(started);
  const base = `http://127.0.0.1:${port}`;
  await waitForOk(`${base}/ready`, started);
  return base;
}
try {
  const loadStart = performance.now();
  let lastLine = 0;
  await loadVolume(mongo.db, size, nowMs, (what, done, total) => {
    if (performance.now() - lastLine < 5_000 && done < total) return;
    lastLine = performance.now();
    console.log(`  loading ${what}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
  });
  figures.load_seconds = (performance.now() - loadStart) / 1000;
  console.log(`loaded ${size.users.toLocaleString('en-US')} users, ${size.items.toLocaleString('en-US')} items, ${size.events.toLocaleString('en-US')} events in ${figures.load_seconds.toFixed(0)} s`); // prettier-ignore
  const rebuilt = await rebuildHotCaches(mongo.db, redis, nowMs);
  figures.rebuild_seconds = rebuilt.ms / 1000;
  console.log(`hot cache rebuilt from MongoDB in ${figures.rebuild_seconds.toFixed(1)} s: ${JSON.stringify(rebuilt)}`);

  const base = `${await serve(['--import', 'tsx', 'src/api/server.ts'])}/api/v1`;
  const bareUrl = `${await serve(['--import', 'tsx', 'bench/volume-bare.ts'])}/bare/hot:built:v2`;
  const authOf = (u: number) => ({ authorization: `Bearer ${signer.sign(userId(u), ['user'])}` });
  // Spread over the users; each run of the online feed gets users of its own, so each request is a user's first.
  const user = (i: number) => Math.floor((i * 7_919) % size.users);
  // Each path is warmed first, one request at a time, on users the measured rounds never ask for: the first few
  // hundred requests after the API starts run before V8 has optimised the path and sized its young generation. The
  // warm-up is printed, not judged.
  const warmUser = SAMPLE * CONCURRENCY.length;
  report('bare Fastify + Redis GET (warm-up)', await timedRequests(SAMPLE, 1, () => httpGet(bareUrl)));
  const warmFeed = (i: number) => httpGet(`${base}/feed?limit=20`, authOf(user(warmUser + i)));
  report('GET /feed online (warm-up)', await timedRequests(SAMPLE, 1, warmFeed));
  const warmSimilar = (i: number) =>
    httpGet(`${base}/users/${userId(user(warmUser + i))}/similar`, authOf(user(warmUser + i)));
  report('GET /users/:id/similar (warm-up)', await timedRequests(SAMPLE, 1, warmSimilar));
  report('GET /feed precomputed (warm-up)', await timedRequests(SAMPLE, 1, () => warmFeed(0)));

  for (const [run, concurrency] of CONCURRENCY.entries()) {
    const at = `${concurrency} at a time`;
    const bareTimed = await timedRequests(SAMPLE, concurrency, () => httpGet(bareUrl));
    report(`bare Fastify + Redis GET (${at})`, bareTimed);
    const firstUser = SAMPLE * run;
    const online = await timedRequests(SAMPLE, concurrency, (i) =>
      httpGet(`${base}/feed?limit=20`, authOf(user(firstUser + i))),
    );
    report(`GET /feed online (${at})`, online);
    console.log(`  online feed / bare: ${(online.rps / bareTimed.rps).toFixed(2)}× req/s; target p99 ≤ 50 ms`);
    const similar = await timedRequests(SAMPLE, concurrency, (i) =>
      httpGet(`${base}/users/${userId(user(firstUser + i))}/similar`, authOf(user(firstUser + i))),
    );
    report(`GET /users/:id/similar (${at})`, similar);
    console.log(`  similar / bare: ${(similar.rps / bareTimed.rps).toFixed(2)}× req/s; target p99 ≤ 20 ms`);
    // Precomputed: the first user's feed was stored by the online request above, paged again and again.
    const precomputed = await timedRequests(SAMPLE, concurrency, () =>
      httpGet(`${base}/feed?limit=20`, authOf(user(firstUser))),
    );
    report(`GET /feed precomputed (${at})`, precomputed);
    console.log(`  precomputed feed / bare: ${(precomputed.rps / bareTimed.rps).toFixed(2)}× req/s; target p99 ≤ 5 ms`);
  }

  // Under autocannon's 16 connections (its own process): throughput, with latency that is mostly queueing.
  const seconds = Number(process.env.BENCH_SECONDS ?? 6);
  const round = { seconds, connections: 16 };
  await load(bareUrl, round);
  const bareLoad = await load(bareUrl, round);
  const precomputed = await load(`${base}/feed?limit=20`, { ...round, headers: authOf(user(0)) });
  report('bare Fastify + Redis GET (autocannon)', bareLoad);
  report('GET /feed precomputed (autocannon)', precomputed);
  figures.precomputed_vs_bare_rps = precomputed.rps / bareLoad.rps;
  console.log(`  precomputed feed / bare: ${figures.precomputed_vs_bare_rps.toFixed(2)}× req/s`);
  if (precomputed.non2xx > 0) console.log(`  NON-2XX answers: ${precomputed.non2xx}`);

  // What the cache saves: the same candidates gathered from MongoDB (the fallback path) and from Redis.
  const gatherSample = Number(process.env.BENCH_GATHER_SAMPLE ?? 5);
  const limits = DEFAULT_CANDIDATE_LIMITS;
  const timeGather = async (gather: (id: string) => Promise<unknown>) => {
    const t0 = performance.now();
    for (let i = 0; i < gatherSample; i++) await gather(userId(user(i)));
    return (performance.now() - t0) / gatherSample;
  };
  const deps = { db: mongo.db, redis };
  const fromCache = await timeGather(async (id) => candidatesFromCache(redis, id, await readProfile(deps, id), nowMs, limits)); // prettier-ignore
  const fromStore = await timeGather(async (id) => candidatesFromStore(mongo.db, redis, id, await readProfile(deps, id), nowMs, limits)); // prettier-ignore
  Object.assign(figures, { gather_cache_ms: fromCache, gather_store_ms: fromStore });
  console.log(`candidate gathering per user: ${fromCache.toFixed(1)} ms from Redis, ${fromStore.toFixed(0)} ms from MongoDB (${(fromStore / fromCache).toFixed(0)}×), ${gatherSample} users`); // prettier-ignore
  figures.load_average = loadavg()[0] ?? 0;
  console.log(`load average while measuring: ${figures.load_average.toFixed(1)} (2 cores)`);
  if (process.env.BENCH_RESULTS_DIR) {
    writeFileSync(join(process.env.BENCH_RESULTS_DIR, 'volume.json'), JSON.stringify(figures, null, 2));
  }
} finally {
  closeHttpGet();
  await Promise.allSettled([...processes.map((p) => p.stop()), signer.close()]);
  await mongo.db.dropDatabase().catch(() => undefined);
  await Promise.allSettled([mongo.client.close(), redis.quit()]);
  await services.stop();
}
