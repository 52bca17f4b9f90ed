import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { HostPort } from '../../src/dev/addresses.js';
import { freePort } from '../../src/dev/ports.js';
import type { ManagedProcess } from '../../src/dev/process.js';
import { waitUntilReady } from '../../src/dev/readiness.js';
import { pingRedis, startRedis } from '../../src/dev/redis.js';
import { build, testConfig } from '../helpers/build-app.js';
import { assertProblem } from './support/problem.js';
import { readyWhen } from './support/ready.js';

/** A Redis of this test's own (no persistence), so stopping it cannot disturb the other test files. */
async function startOwnRedis(hostPort: HostPort, dir: string): Promise<ManagedProcess> {
  const redis = startRedis({ hostPort, dataDir: dir, logFile: join(dir, 'redis.log') });
  const url = `redis://${hostPort.host}:${hostPort.port}`;
  await waitUntilReady({ service: 'redis', hostPort, process: redis, ping: () => pingRedis(url), timeoutMs: 10_000 });
  return redis;
}

describe('/ready follows a Redis that stops and comes back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ps-redis-restart-'));
  let redis: ManagedProcess | undefined;
  after(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('200, then 503 naming redis while it is down (the API keeps serving), then 200 again', async (t) => {
    const hostPort = { host: '127.0.0.1', port: await freePort() };
    redis = await startOwnRedis(hostPort, dir);
    const app = build(t, testConfig(import.meta.filename, { REDIS_URL: `redis://127.0.0.1:${hostPort.port}` }));

    await readyWhen(app, (res) => res.statusCode === 200);

    await redis.stop();
    const down = await readyWhen(app, (res) => res.statusCode === 503);
    const problem = assertProblem(down, 503, 'service-unavailable');
    assert.equal(problem.detail, 'Not ready; down: redis');
    assert.deepEqual(problem.checks, { temporal: 'up', mongo: 'up', redis: 'down' });
    // Rate-limited routes still answer: losing Redis costs protection, not availability.
    const minted = await app.inject({
      method: 'POST',
      url: '/api/v1/dev/tokens',
      payload: { userId: 'ivan', roles: ['user'] },
    });
    assert.equal(minted.statusCode, 200);

    redis = await startOwnRedis(hostPort, dir);
    const back = await readyWhen(app, (res) => res.statusCode === 200);
    const { status, checks } = back.json<{ status: string; checks: unknown }>();
    assert.deepEqual({ status, checks }, { status: 'ready', checks: { temporal: 'up', mongo: 'up', redis: 'up' } });
  });
});
