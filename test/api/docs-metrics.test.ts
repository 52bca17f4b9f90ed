import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { build, testConfig } from '../helpers/build-app.js';
import { testRoutes } from './support/test-routes.js';

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { security?: unknown; responses?: Record<string, { content?: object }> }>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('OpenAPI, docs and metrics', () => {
  const app = build({ after }, testConfig(import.meta.filename));
  before(async () => {
    await app.register(testRoutes);
    await app.ready();
  });

  it('serves an OpenAPI 3.1 document listing the routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json<OpenApiDocument>();
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.version, pkg.version);
    for (const path of ['/health', '/ready', '/metrics', '/api/v1/dev/tokens']) assert.ok(doc.paths[path], path);
    assert.equal(doc.paths['/openapi.json'], undefined, 'the document does not list itself');
    assert.equal(doc.components.securitySchemes.bearerAuth?.scheme, 'bearer');
    assert.ok(doc.paths['/ready']?.get?.responses?.['503']?.content, '503 documented as problem+json');
  });

  it('marks routes behind authenticate or requireRole with bearer security and a 401', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<OpenApiDocument>();
    const guarded = doc.paths['/test/operators-only']?.get;
    assert.deepEqual(guarded?.security, [{ bearerAuth: [] }]);
    assert.ok(guarded?.responses?.['401'], '401 documented');
    assert.equal(doc.paths['/health']?.get?.security, undefined);
  });

  it('serves Swagger UI at /docs', async () => {
    let res = await app.inject({ method: 'GET', url: '/docs' });
    if (res.statusCode === 302) res = await app.inject({ method: 'GET', url: String(res.headers.location) });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /swagger/i);
  });

  it('exposes request counts and latency by route pattern at /metrics', async () => {
    await app.inject({ method: 'GET', url: '/test/items/metric-1' });
    await app.inject({ method: 'GET', url: '/no-such-route' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.match(res.body, /http_requests_total\{method="GET",route="\/test\/items\/:id",status="200"\} \d+/);
    assert.match(res.body, /http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} \d+/);
    assert.match(res.body, /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/test\/items\/:id"/);
    assert.doesNotMatch(res.body, /metric-1/, 'raw urls never become labels');
    assert.match(res.body, /process_cpu_seconds_total/);
  });
});
