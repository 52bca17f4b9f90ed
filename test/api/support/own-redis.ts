import { join } from 'node:path';
import type { HostPort } from '../../../src/dev/addresses.js';
import type { ManagedProcess } from '../../../src/dev/process.js';
import { waitUntilReady } from '../../../src/dev/readiness.js';
import { pingRedis, startRedis } from '../../../src/dev/redis.js';

/** A Redis of the test's own (no persistence), so stopping it cannot disturb the other test files. */
export async function startOwnRedis(hostPort: HostPort, dir: string): Promise<ManagedProcess> {
  const redis = startRedis({ hostPort, dataDir: dir, logFile: join(dir, 'redis.log') });
  const url = `redis://${hostPort.host}:${hostPort.port}`;
  await waitUntilReady({ service: 'redis', hostPort, process: redis, ping: () => pingRedis(url), timeoutMs: 10_000 });
  return redis;
}
