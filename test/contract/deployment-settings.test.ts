import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { build, testConfig } from '../helpers/build-app.js';
import { LIMITED_ROUTE_MAX, testRoutes } from '../api/support/test-routes.js';

describe('CORS allow-list', () => {
  const app = build({ after }, testConfig(import.meta.filename, { CORS_ORIGINS: 'https://app.example.com' }));

  it('answers a listed origin, preflight included, and not another', async () => {
    const allowed = await app.inject({ url: '/health', headers: { origin: 'https://app.example.com' } });
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.match(String(allowed.headers['access-control-expose-headers']), /x-request-id/);
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/events',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.statusCode, 204);
    const other = await app.inject({ url: '/health', headers: { origin: 'https://evil.example.com' } });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  it('stops start-up on a wildcard', async () => {
    const bad = build({ after }, testConfig(import.meta.filename, { CORS_ORIGINS: '*' }));
    await assert.rejects(async () => bad.ready(), /CORS_ORIGINS/);
  });
});

describe('trusted proxies', () => {
  const limited = async (env: Record<string, string>) => {
    const app = build({ after }, testConfig(import.meta.filename, env));
    await app.register(testRoutes);
    return app;
  };
  const fromProxy = (forwardedFor: string) => ({
    url: '/test/limited',
    remoteAddress: '127.0.0.1',
    headers: { 'x-forwarded-for': forwardedFor },
  });

  it('keys the rate limit on the client behind a trusted proxy', async () => {
    const app = await limited({ TRUST_PROXY: '127.0.0.1', REDIS_KEY_PREFIX: `test:trust:${process.pid}:a:` });
    for (let i = 0; i < LIMITED_ROUTE_MAX; i++) await app.inject(fromProxy('203.0.113.1'));
    assert.equal((await app.inject(fromProxy('203.0.113.1'))).statusCode, 429);
    assert.notEqual((await app.inject(fromProxy('203.0.113.2'))).statusCode, 429, 'another client has its own bucket');
  });

  it('keys it on the proxy when the proxy is not trusted', async () => {
    const app = await limited({ REDIS_KEY_PREFIX: `test:trust:${process.pid}:b:` });
    for (let i = 0; i < LIMITED_ROUTE_MAX; i++) await app.inject(fromProxy('203.0.113.1'));
    assert.equal((await app.inject(fromProxy('203.0.113.2'))).statusCode, 429, 'everyone shares the proxy bucket');
  });
});
