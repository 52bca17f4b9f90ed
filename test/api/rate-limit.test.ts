import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../src/dev/ports.js';
import type { ManagedProcess } from '../../src/dev/process.js';
import { bearer, build, testConfig } from '../helpers/build-app.js';
import { startOwnRedis } from './support/own-redis.js';
import { assertProblem } from './support/problem.js';
import { LIMITED_ROUTE_MAX, testRoutes } from './support/test-routes.js';

/** Each app gets its own key prefix: the counters of one must not leak into the next. */
const configFor = (suffix: string, env: Record<string, string> = {}) => {
  const config = testConfig(import.meta.filename, env);
  return { ...config, REDIS_KEY_PREFIX: `${config.REDIS_KEY_PREFIX}${suffix}:` };
};

describe('rate limits in Redis', () => {
  const app = build({ after }, configFor('per-route'));
  before(async () => {
    await app.register(testRoutes);
    await app.ready();
  });

  it('answers 429 with Retry-After past a per-route limit', async () => {
    const authorization = await bearer(app, 'frank');
    for (let i = 0; i < LIMITED_ROUTE_MAX; i++) {
      const ok = await app.inject({ method: 'GET', url: '/test/limited', headers: { authorization } });
      assert.equal(ok.statusCode, 200, `request ${i + 1}`);
    }
    const res = await app.inject({ method: 'GET', url: '/test/limited', headers: { authorization } });
    assert.match(assertProblem(res, 429, 'rate-limited').detail, /Rate limit of 3 requests/);
    const retryAfter = Number(res.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${res.headers['retry-after']}`);
  });

  it('counts per user when authenticated, else per IP', async () => {
    const grace = await bearer(app, 'grace');
    for (let i = 0; i < LIMITED_ROUTE_MAX; i++) {
      const res = await app.inject({ method: 'GET', url: '/test/limited', headers: { authorization: grace } });
      assert.deepEqual(res.json(), { caller: 'grace' });
    }
    const anonymous = await app.inject({ method: 'GET', url: '/test/limited' });
    assert.deepEqual(anonymous.json(), { caller: 'anonymous' });
    const other = await app.inject({
      method: 'GET',
      url: '/test/limited',
      headers: { authorization: await bearer(app, 'heidi') },
    });
    assert.equal(other.statusCode, 200);
  });
});

describe('the global default limit', () => {
  it('applies RATE_LIMIT_MAX to routes without their own, but not to probes', async (t) => {
    const app = build(t, configFor('global', { RATE_LIMIT_MAX: '2' }));
    await app.register(testRoutes);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.inject({ method: 'GET', url: '/test/items/a1' })).statusCode);
    assert.deepEqual(statuses, [200, 200, 429]);
    for (let i = 0; i < 3; i++) assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  });

  it('limits while its Redis is up and lets requests through once it is unreachable (skipOnError)', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-rate-limit-'));
    const hostPort = { host: '127.0.0.1', port: await freePort() };
    let redis: ManagedProcess | undefined = await startOwnRedis(hostPort, dir);
    t.after(async () => {
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const app = build(
      t,
      configFor('no-redis', { RATE_LIMIT_MAX: '1', REDIS_URL: `redis://127.0.0.1:${hostPort.port}` }),
    );
    await app.register(testRoutes);
    const get = async () => (await app.inject({ method: 'GET', url: '/test/items/a1' })).statusCode;
    // The same app refuses the second request while Redis counts, so the 200s below are skipOnError, not a
    // limiter that is missing.
    assert.deepEqual([await get(), await get()], [200, 429]);

    await redis.stop();
    redis = undefined;
    assert.deepEqual([await get(), await get(), await get()], [200, 200, 200]);
  });
});

describe('rate limits shared between API instances', () => {
  it("two instances on one Redis spend one caller's budget together", async (t) => {
    const config = configFor('shared', { RATE_LIMIT_MAX: '4' });
    const [a, b] = [build(t, config), build(t, config)];
    for (const app of [a, b]) await app.register(testRoutes);
    const get = async (app: typeof a) =>
      (
        await app.inject({
          method: 'GET',
          url: '/test/items/a1',
          headers: { authorization: await bearer(app, 'ivy') },
        })
      ).statusCode;
    // Four on the first instance spend the budget; a per-process counter would let the second one's request through.
    const first = [await get(a), await get(a), await get(a), await get(a)];
    assert.deepEqual(first, [200, 200, 200, 200]);
    assert.equal(await get(b), 429, "the second instance sees the first one's spends");
    assert.equal(await get(a), 429);
  });
});
