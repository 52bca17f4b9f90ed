import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ENGAGEMENT_TYPES } from '../../src/domain/engagement.js';
import { build, testConfig } from '../helpers/build-app.js';
import { testRoutes } from '../api/support/test-routes.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function operations(doc: Json): Array<{ method: string; path: string; op: Json }> {
  return Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method, path, op: op as Json })),
  );
}

/** Every schema object in a subtree, with its JSON path, for checks that apply wherever a schema sits. */
function* schemaNodes(node: unknown, path = ''): Generator<[string, Json]> {
  if (Array.isArray(node)) for (const [i, item] of node.entries()) yield* schemaNodes(item, `${path}/${i}`);
  else if (node && typeof node === 'object') {
    yield [path, node as Json];
    for (const [key, value] of Object.entries(node)) yield* schemaNodes(value, `${path}/${key}`);
  }
}

describe('the OpenAPI document, for client generators', () => {
  const app = build({ after }, testConfig(import.meta.filename));
  let doc: Json;
  before(async () => {
    await app.register(testRoutes);
    await app.ready();
    doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });

  it('names every operation by the documented rule, uniquely', () => {
    const ids = new Set<string>();
    for (const { method, path, op } of operations(doc)) {
      assert.match(String(op.operationId), /^[a-z]+[A-Za-z0-9]*$/, `${method} ${path}`);
      assert.ok(!ids.has(op.operationId), `duplicate ${op.operationId}`);
      ids.add(op.operationId);
    }
    const byPath = (method: string, path: string) => doc.paths[path][method].operationId;
    assert.equal(byPath('get', '/api/v1/stations/{stationId}/shows'), 'getStationsByStationIdShows');
    assert.equal(byPath('post', '/api/v1/events'), 'postEvents');
    assert.equal(byPath('get', '/api/brain/intents'), 'getBrainIntentsUnversioned');
    assert.equal(doc.paths['/api/brain/intents'].get.deprecated, true, 'the unversioned copy is deprecated');
  });

  it('refers to resources, problems and pages by $ref instead of inlining them', () => {
    const schemas = doc.components.schemas as Json;
    for (const name of ['ProblemDetails', 'Station', 'Show', 'StationPage', 'FeedPage', 'EventBatchResult'])
      assert.ok(schemas[name], `components.schemas.${name}`);
    const station = doc.paths['/api/v1/stations/{stationId}'].get.responses;
    assert.deepEqual(station['200'].content['application/json'].schema, { $ref: '#/components/schemas/Station' });
    assert.deepEqual(station['404'].content['application/problem+json'].schema, {
      $ref: '#/components/schemas/ProblemDetails',
    });
    const list = doc.paths['/api/v1/stations'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(list, { $ref: '#/components/schemas/StationPage' });
    for (const [path, node] of schemaNodes(doc.paths)) {
      assert.ok(
        !(node.properties?.type && node.properties?.instance && node.properties?.detail),
        `inline problem at ${path}`,
      );
    }
  });

  it('types the event item of POST /events, one schema per event type, discriminated by type', () => {
    const events = doc.paths['/api/v1/events'].post.requestBody.content['application/json'].schema.properties.events;
    const mapping = events.items.discriminator.mapping as Record<string, string>;
    assert.deepEqual(Object.keys(mapping).sort(), [...ENGAGEMENT_TYPES].sort());
    assert.equal(events.items.oneOf.length, ENGAGEMENT_TYPES.length);
    const watchTime = doc.components.schemas.WatchTimeEvent as Json;
    assert.equal(mapping.watch_time, '#/components/schemas/WatchTimeEvent');
    assert.equal(watchTime.properties.type.const, 'watch_time');
  });

  it('documents every status a route can answer besides its own, with its headers', () => {
    for (const { method, path, op } of operations(doc)) {
      const responses = op.responses as Json;
      for (const status of ['500', '503']) assert.ok(responses[status], `${method} ${path} ${status}`);
      if (op.requestBody) assert.ok(responses['415'] && responses['413'], `${method} ${path} 413/415`);
      for (const [status, response] of Object.entries(responses)) {
        assert.ok((response as Json).headers?.['x-request-id'], `${method} ${path} ${status} x-request-id`);
      }
    }
    const events = doc.paths['/api/v1/events'].post.responses;
    assert.ok(events['429'].headers['retry-after'], 'Retry-After on 429');
    assert.ok(events['202'].headers['x-ratelimit-remaining'], 'rate-limit headers');
    assert.ok(doc.paths['/api/v1/stations'].post.responses['201'].headers.location, 'Location on 201');
    assert.equal(doc.paths['/health'].get.responses['200'].headers['x-ratelimit-limit'], undefined, 'not limited');
  });

  it('declares the text content type of /metrics', () => {
    const content = doc.paths['/metrics'].get.responses['200'].content;
    assert.deepEqual(Object.keys(content), ['text/plain']);
  });
});

describe('method not allowed', () => {
  const app = build({ after }, testConfig(import.meta.filename));
  before(() => app.ready());

  it('answers 405 with Allow for a known path asked with another method', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/api/v1/stations/s-1' });
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers.allow, 'GET, HEAD, PATCH');
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
    assert.equal(res.json().type, 'https://powerstream.dev/problems/method-not-allowed');
  });

  it('answers 405 for a static path of its own even where a parametric route would match the method', async () => {
    // GET /leaderboards/:board would take "rebuild" as a board name; the document lists /leaderboards/rebuild as POST.
    const res = await app.inject({ method: 'GET', url: '/api/v1/leaderboards/rebuild' });
    assert.equal(res.statusCode, 405, res.body);
    assert.equal(res.headers.allow, 'POST');
  });

  it('still answers 404 for an unknown path', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    assert.equal(res.statusCode, 404);
  });
});

describe('descriptions and examples', () => {
  const app = build({ after }, testConfig(import.meta.filename));
  let doc: Json;
  before(async () => {
    await app.ready();
    doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });

  it('declares the bearer token and its 401 on every operation but the dev token mint', () => {
    for (const { method, path, op } of operations(doc)) {
      if (!path.startsWith('/api/v1') || path === '/api/v1/dev/tokens') continue;
      assert.deepEqual(op.security, [{ bearerAuth: [] }], `${method} ${path} security`);
      assert.ok((op.responses as Json)['401'], `${method} ${path} 401`);
    }
  });

  it('describes every parameter', () => {
    for (const { method, path, op } of operations(doc)) {
      for (const parameter of (op.parameters as Json[] | undefined) ?? []) {
        assert.ok(parameter.description, `${method} ${path} ${parameter.in} ${parameter.name}`);
      }
    }
  });

  it('describes the members of the main resources', () => {
    for (const name of ['Station', 'Show', 'EventBatchResult', 'ProblemDetails', 'LikeEvent']) {
      for (const [member, schema] of Object.entries(doc.components.schemas[name].properties as Json)) {
        assert.ok((schema as Json).description || (schema as Json).$ref, `${name}.${member}`);
      }
    }
  });

  it('shows an example request on the main operations', () => {
    const body = doc.paths['/api/v1/events'].post.requestBody.content['application/json'];
    assert.equal(body.example.events.length, 3);
    assert.ok(doc.paths['/api/v1/stations'].post.requestBody.content['application/json'].example);
  });
});
