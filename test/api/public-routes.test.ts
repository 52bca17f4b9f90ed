import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse as InjectResponse, RouteOptions } from 'fastify';
import { bearer, build, testConfig } from '../helpers/build-app.js';
import { assertProblem } from './support/problem.js';

/** The only routes under /api a caller may use without a bearer token. Adding one is a decision: list it here. */
const PUBLIC_API_ROUTES = ['POST /api/v1/dev/tokens'];

interface ApiRoute {
  method: string;
  url: string;
  public: boolean;
}

/** Routes under /api as the app adds them (HEAD copies of GET routes included), in the order they were added. */
function collectApiRoutes(app: ReturnType<typeof build>): ApiRoute[] {
  const routes: ApiRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api/')) return;
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, public: route.config?.public === true });
    }
  });
  return routes;
}

/** A concrete path for a route's url: every `:param` gets a value that passes the id patterns. */
const concretePath = (url: string) => url.replace(/:[A-Za-z]+/g, 'p-1');

/** 401 problem naming the Bearer scheme; HEAD answers carry the headers only. */
function assertUnauthorized(res: InjectResponse, method: string): void {
  if (method !== 'HEAD') assertProblem(res, 401, 'unauthorized');
  else {
    assert.equal(res.statusCode, 401);
    assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  }
  assert.equal(res.headers['www-authenticate'], 'Bearer');
}

describe('routes under /api need a bearer token unless they opt out', () => {
  const app = build({ after }, testConfig(import.meta.filename));
  const routes = collectApiRoutes(app);
  before(() => app.ready());

  it('lists exactly the public routes', () => {
    assert.ok(routes.length > 50, `only ${routes.length} routes under /api were seen`);
    const listed = routes.filter((route) => route.public).map((route) => `${route.method} ${route.url}`);
    assert.deepEqual(listed, PUBLIC_API_ROUTES);
  });

  it('answers 401 problem+json without a token on every other route', async () => {
    for (const { method, url } of routes.filter((route) => !route.public)) {
      const res = await app.inject({ method: method as 'GET', url: concretePath(url) });
      assert.equal(res.statusCode, 401, `${method} ${url} answered ${res.statusCode} without a token: ${res.body}`);
      assertUnauthorized(res, method);
    }
  });

  it('answers the public routes without a token', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/dev/tokens', payload: { userId: 'u-1' } });
    assert.equal(res.statusCode, 200, res.body);
  });
});

describe('a route added under /api with no auth option', () => {
  const app = build({ after }, testConfig(import.meta.filename));
  before(async () => {
    await app.register(async (plugin) => {
      plugin.get('/api/v1/test-unmarked', async (request) => ({ caller: request.principal?.userId ?? null }));
      plugin.get('/api/v1/test-public', { config: { public: true } }, async () => ({ ok: true }));
    });
    await app.ready();
  });

  it('is guarded: 401 without a token, served with one', async () => {
    assertUnauthorized(await app.inject({ method: 'GET', url: '/api/v1/test-unmarked' }), 'GET');
    assertUnauthorized(await app.inject({ method: 'HEAD', url: '/api/v1/test-unmarked' }), 'HEAD');
    const authorization = await bearer(app, 'alice');
    const res = await app.inject({ method: 'GET', url: '/api/v1/test-unmarked', headers: { authorization } });
    assert.deepEqual(res.json(), { caller: 'alice' });
  });

  it('is documented with the bearer token and its 401, where a public one is not', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const guarded = doc.paths['/api/v1/test-unmarked'].get;
    assert.deepEqual(guarded.security, [{ bearerAuth: [] }]);
    assert.ok(guarded.responses['401'], '401 documented');
    const open = doc.paths['/api/v1/test-public'].get;
    assert.equal(open.security, undefined);
    assert.equal(open.responses['401'], undefined);
  });

  it('answers without a token when it says config: { public: true }', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/test-public' });
    assert.deepEqual(res.json(), { ok: true });
  });
});
