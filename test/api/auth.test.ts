import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { build, bearer, testConfig } from '../helpers/build-app.js';
import { assertProblem } from './support/problem.js';
import { testRoutes } from './support/test-routes.js';

const config = testConfig(import.meta.filename);

describe('JWT auth, roles and ownership', () => {
  const app = build({ after }, config);
  before(async () => {
    await app.register(testRoutes);
    await app.ready();
  });

  const getOperatorsOnly = (authorization?: string) =>
    app.inject({ method: 'GET', url: '/test/operators-only', headers: authorization ? { authorization } : {} });
  const putSettings = (userId: string, authorization: string) =>
    app.inject({ method: 'PUT', url: `/test/users/${userId}/settings`, headers: { authorization } });

  it('answers 401 without a token, naming the Bearer scheme', async () => {
    const res = await getOperatorsOnly();
    assertProblem(res, 401, 'unauthorized');
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  it('answers 401 for a malformed header, a bad signature, alg none and a token without sub', async () => {
    assert.match(assertProblem(await getOperatorsOnly('Basic abc'), 401, 'unauthorized').detail, /Bearer <token>/);
    const [header, payload] = (await bearer(app, 'ops', ['operator'])).slice('Bearer '.length).split('.');
    const forged = `Bearer ${header}.${payload}.c2lnbmF0dXJl`;
    assert.match(assertProblem(await getOperatorsOnly(forged), 401, 'unauthorized').detail, /not valid/);
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    assertProblem(await getOperatorsOnly(`Bearer ${none}.${payload}.`), 401, 'unauthorized');
    const noSub = `Bearer ${app.jwt.sign({ roles: ['operator'] } as never)}`;
    assertProblem(await getOperatorsOnly(noSub), 401, 'unauthorized');
  });

  it('answers 401 for an expired token and says so', async () => {
    const expired = await bearer(app, 'ops', ['operator'], Math.floor(Date.now() / 1000) - 60);
    assert.match(assertProblem(await getOperatorsOnly(expired), 401, 'unauthorized').detail, /expired/);
  });

  it('answers 403 when requireRole is not met, 200 when it is', async () => {
    const res = await getOperatorsOnly(await bearer(app, 'alice', ['user', 'creator']));
    assert.match(assertProblem(res, 403, 'forbidden').detail, /operator/);
    const ok = await getOperatorsOnly(await bearer(app, 'ops', ['operator']));
    assert.equal(ok.statusCode, 200);
  });

  it('lets a user act for themselves, operators and services for anyone, nobody else (assertCanActFor)', async () => {
    const alice = await bearer(app, 'alice', ['user']);
    assert.match(assertProblem(await putSettings('bob', alice), 403, 'forbidden').detail, /bob/);
    assert.equal((await putSettings('alice', alice)).statusCode, 200);
    assert.equal((await putSettings('bob', await bearer(app, 'ops', ['operator']))).statusCode, 200);
    assert.equal((await putSettings('bob', await bearer(app, 'ingest', ['service']))).statusCode, 200);
  });

  it('ignores roles it does not know', async () => {
    const token = `Bearer ${app.jwt.sign({ sub: 'carol', roles: ['creator', 'admin'] } as never)}`;
    const res = await putSettings('carol', token);
    assert.deepEqual(res.json(), { actor: 'carol', roles: ['creator'] });
  });

  it('mints dev tokens the API accepts', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/dev/tokens',
      payload: { userId: 'dana', roles: ['creator'] },
    });
    assert.equal(res.statusCode, 200);
    const { token, expiresAt } = res.json<{ token: string; expiresAt: string }>();
    assert.ok(Date.parse(expiresAt) > Date.now() + 23 * 3600_000);
    const used = await putSettings('dana', `Bearer ${token}`);
    assert.deepEqual(used.json(), { actor: 'dana', roles: ['creator'] });
    const badRole = await app.inject({
      method: 'POST',
      url: '/api/v1/dev/tokens',
      payload: { userId: 'dana', roles: ['root'] },
    });
    assert.equal(assertProblem(badRole, 422, 'validation-failed').errors?.[0]?.path, '/roles/0');
  });
});

describe('dev token endpoint availability', () => {
  it('is absent unless DEV_TOKENS is true', async (t) => {
    const app = build(t, testConfig(import.meta.filename, { DEV_TOKENS: 'false' }));
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/dev/tokens',
      payload: { userId: 'x', roles: ['user'] },
    });
    assertProblem(res, 404, 'not-found');
  });

  it('is absent in production even with DEV_TOKENS', async (t) => {
    const env = { NODE_ENV: 'production', DEV_TOKENS: 'true', JWT_SECRET: 'a-production-secret-for-tests' };
    const app = build(t, testConfig(import.meta.filename, env));
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/dev/tokens',
      payload: { userId: 'x', roles: ['user'] },
    });
    assertProblem(res, 404, 'not-found');
  });
});
