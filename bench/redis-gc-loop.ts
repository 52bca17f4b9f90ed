/**
 * Child of bench/redis-gc.ts, run under `--trace-gc-nvp` (the parent reads the scavenges from stdout). Each request
 * reads a user's feed signals behind the hot-cache check, as a cached feed page does first: `commands` through the
 * project's readySignals (src/cache/user-signals.ts: the five commands sent together), `pipeline` as the same five
 * reads in one ioredis pipeline (how readWhenBuilt sent them before). Each request also makes some short-lived
 * garbage of its own, as a page does. Prints one `result {json}` line.
 */
import { Redis } from 'ioredis';
import { readySignals } from '../src/cache/user-signals.js';
import { redisKeys } from '../src/store/redis-keys.js';

const [url, variant, requestsArg, concurrencyArg] = process.argv.slice(2);
if (!url || (variant !== 'pipeline' && variant !== 'commands')) {
  throw new Error('usage: <redis url> pipeline|commands <requests> <concurrency>');
}
const requests = Number(requestsArg);
const concurrency = Number(concurrencyArg);
const keys = redisKeys.hot;
const USER = 'user-1';

const redis = new Redis(url, { keyPrefix: 'gc:', enableOfflineQueue: false });
await new Promise((resolve) => redis.once('ready', resolve));
await redis.set(keys.built, '1');
await redis.sadd(keys.follows(USER), 'creator-1', 'creator-2', 'creator-3');
await redis.sadd(keys.blocks(USER), 'creator-9');
await redis.zadd(keys.seen(USER), ...Array.from({ length: 50 }, (_, i) => [i, `item-${i}`]).flat());

async function pipelineSignals(): Promise<number> {
  const replies = await redis
    .pipeline()
    .exists(keys.built)
    .smembers(keys.follows(USER))
    .smembers(keys.blocks(USER))
    .zrange(keys.seen(USER), 0, -1)
    .smembers(keys.optOuts(USER))
    .exec();
  return replies?.length ?? 0;
}

async function commandSignals(): Promise<number> {
  const signals = await readySignals(redis, USER);
  return signals ? 5 : 0;
}

let checksum = 0;
async function read(n: number): Promise<void> {
  const readOne = async (): Promise<void> => {
    checksum += variant === 'pipeline' ? await pipelineSignals() : await commandSignals();
    const garbage = Array.from({ length: 500 }, (_, i) => ({ i, label: `x${i}` }));
    checksum += garbage.length;
  };
  // `concurrency` readers, as a server's requests overlap: each takes every concurrency-th request.
  await Promise.all(
    Array.from({ length: concurrency }, async (_, reader) => {
      for (let i = reader; i < n; i += concurrency) await readOne();
    }),
  );
}
await read(2_000); // warm-up: compiled code, connection buffers
// V8 stamps each GC line with ms since the process started, as performance.now() counts (to a few ms).
const startMs = performance.now();
await read(requests);
const endMs = performance.now();
redis.disconnect();
console.log(`result ${JSON.stringify({ startMs, endMs, checksum })}`);
