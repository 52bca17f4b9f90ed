import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort } from '../../src/dev/ports.js';
import { build, testConfig } from '../helpers/build-app.js';
import { assertProblem } from './support/problem.js';
import { readyWhen, type ReadyReply } from './support/ready.js';

describe('/health and /ready', () => {
  it('/health answers 200 while the process is up', async (t) => {
    const app = build(t, testConfig(import.meta.filename));
    const res = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('/ready answers 200 when Temporal, MongoDB and Redis all answer', async (t) => {
    const app = build(t, testConfig(import.meta.filename));
    const res = await readyWhen(app, (r) => r.statusCode === 200);
    const { store, ...rest } = res.json<ReadyReply & { store?: string }>();
    assert.deepEqual(rest, { status: 'ready', checks: { temporal: 'up', mongo: 'up', redis: 'up' } });
    // The test services are FerretDB on PostgreSQL unless MONGO_URL names a real MongoDB.
    const expected = process.env.MONGO_BACKEND ? /^FerretDB v[\d.]+ on PostgreSQL \d+/ : /^(FerretDB|MongoDB) /;
    assert.match(store ?? '', expected);
  });

  const closedPort = {
    redis: async () => ({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` }),
    mongo: async () => ({ MONGO_URL: `mongodb://127.0.0.1:${await freePort()}` }),
    temporal: async () => ({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` }),
  };
  for (const [dependency, env] of Object.entries(closedPort)) {
    it(`/ready answers 503 naming ${dependency} when nothing listens at its address`, async (t) => {
      const app = build(t, testConfig(import.meta.filename, await env()));
      // Wait until the other dependencies have connected, so exactly the one we broke is reported.
      const res = await readyWhen(
        app,
        (r) => Object.values(r.json<ReadyReply>().checks).filter((s) => s === 'down').length === 1,
      );
      const problem = assertProblem(res, 503, 'service-unavailable');
      assert.equal(problem.detail, `Not ready; down: ${dependency}`);
      assert.equal((problem.checks as Record<string, string>)[dependency], 'down');
    });
  }
});
