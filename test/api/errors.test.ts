import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiInstance } from '../../src/api/build-app.js';
import { build, testConfig } from '../helpers/build-app.js';
import { assertProblem } from './support/problem.js';
import { testRoutes } from './support/test-routes.js';

describe('errors as problem+json', () => {
  const config = testConfig(import.meta.filename, { BODY_LIMIT_BYTES: '2048' });
  const app: ApiInstance = build({ after }, config);

  before(async () => {
    await app.register(testRoutes);
    await app.ready();
  });

  it('answers 404 for an unknown route', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope?x=1' });
    const problem = assertProblem(res, 404, 'not-found');
    assert.equal(problem.instance, '/nope?x=1');
    assert.match(problem.detail, /GET \/nope$/);
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/events',
      headers: { 'content-type': 'application/json' },
      payload: '{"events": [',
    });
    assertProblem(res, 400, 'malformed-json');
  });

  it('answers 422 naming the failing body field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/events',
      payload: {
        events: [
          { type: 'view', contentId: 'c1' },
          { type: 'explode', contentId: 'c2' },
        ],
      },
    });
    const problem = assertProblem(res, 422, 'validation-failed');
    assert.equal(problem.errors?.[0]?.path, '/events/1/type');
    assert.match(problem.detail, /\/events\/1\/type/);
  });

  it('names a missing property itself, and does not coerce body types', async () => {
    const missing = await app.inject({ method: 'POST', url: '/test/events', payload: { events: [{ type: 'like' }] } });
    assert.deepEqual(assertProblem(missing, 422, 'validation-failed').errors, [
      { path: '/events/0/contentId', message: 'is required' },
    ]);
    const numeric = await app.inject({
      method: 'POST',
      url: '/test/events',
      payload: { events: [{ type: 'like', contentId: 5 }] },
    });
    assert.equal(assertProblem(numeric, 422, 'validation-failed').errors?.[0]?.path, '/events/0/contentId');
    const extra = await app.inject({ method: 'POST', url: '/test/events', payload: { events: [], admin: true } });
    assertProblem(extra, 422, 'validation-failed');
  });

  it('answers 400 for bad params or query, and coerces query types', async () => {
    const badId = await app.inject({ method: 'GET', url: '/test/items/has%20space' });
    assert.equal(assertProblem(badId, 400, 'invalid-request').errors?.[0]?.path, '/id');
    const badLimit = await app.inject({ method: 'GET', url: '/test/items/a1?limit=101' });
    assert.equal(assertProblem(badLimit, 400, 'invalid-request').errors?.[0]?.path, '/limit');
    const ok = await app.inject({ method: 'GET', url: '/test/items/a1?limit=5' });
    assert.deepEqual(ok.json(), { id: 'a1', limit: 5 });
    const defaulted = await app.inject({ method: 'GET', url: '/test/items/a1' });
    assert.deepEqual(defaulted.json(), { id: 'a1', limit: 20 });
  });

  it('judges an overlong path parameter by its schema (400 naming it), not with a bare 414', async () => {
    const res = await app.inject({ method: 'GET', url: `/test/items/${'a'.repeat(300)}` });
    assert.equal(assertProblem(res, 400, 'invalid-request').errors?.[0]?.path, '/id');
  });

  it('answers 413 for a body over BODY_LIMIT_BYTES', async () => {
    const events = Array.from({ length: 100 }, (_, i) => ({ type: 'view', contentId: `content-${i}` }));
    const res = await app.inject({ method: 'POST', url: '/test/events', payload: { events } });
    assert.match(assertProblem(res, 413, 'payload-too-large').detail, /2048 bytes/);
  });

  it('answers 415 for a content-type it does not parse', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/test/events',
      headers: { 'content-type': 'application/xml' },
      payload: '<events/>',
    });
    assertProblem(res, 415, 'unsupported-media-type');
  });

  it('answers 409 with extension members from conflict()', async () => {
    const problem = assertProblem(await app.inject({ method: 'GET', url: '/test/conflict' }), 409, 'conflict');
    assert.equal(problem.existingId, 'u-42');
  });

  it('round-trips opaque cursors and answers 422 naming /cursor for a forged one', async () => {
    const first = (await app.inject({ method: 'GET', url: '/test/pages' })).json<{ next: string }>();
    const second = await app.inject({ method: 'GET', url: `/test/pages?cursor=${first.next}` });
    assert.deepEqual(second.json<{ position: unknown }>().position, { after: 'item-20' });
    const forged = Buffer.from('{"offset":5}').toString('base64url');
    const res = await app.inject({ method: 'GET', url: `/test/pages?cursor=${forged}` });
    assert.equal(assertProblem(res, 422, 'validation-failed').errors?.[0]?.path, '/cursor');
  });

  it('answers 503 without driver details when a dependency error escapes a route', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/dependency-down' });
    assertProblem(res, 503, 'service-unavailable');
    assert.doesNotMatch(res.body, /10\.1\.2\.3|ECONNREFUSED/);
  });

  it('answers 500 without the message or a stack', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/boom' });
    const problem = assertProblem(res, 500, 'internal-error');
    assert.doesNotMatch(res.body, /hunter2|leaked|at .*\.ts/);
    assert.match(problem.detail, /x-request-id/);
  });

  it('echoes a generated request id, or the caller’s', async () => {
    const generated = await app.inject({ method: 'GET', url: '/health' });
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const honoured = await app.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'trace-123.abc' } });
    assert.equal(honoured.headers['x-request-id'], 'trace-123.abc');
    const unsafe = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'bad id\twith tab' } });
    assert.notEqual(unsafe.headers['x-request-id'], 'bad id\twith tab');
  });
});
