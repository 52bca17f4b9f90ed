import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notificationsCollection } from '../../src/store/notifications.js';
import { scoringRunsCollection } from '../../src/store/scoring-runs.js';
import { bearer, build, testConfig } from '../helpers/build-app.js';
import { assertProblem } from './support/problem.js';

/** What a first client team ran into (issue 21), through REST: lookups, media types, error lists, renames. */
const config = testConfig(import.meta.filename, { HANDLE_RENAME_LIMIT: '2', HANDLE_RENAME_PERIOD_DAYS: '30' });
const run = `${process.pid}${Date.now().toString(36)}`.slice(-8);
const h = (name: string) => `${name}_${run}`;

describe('client-team sharp edges through REST', () => {
  const app = build({ after }, config);
  before(() => app.ready());

  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, userId: string, payload?: object) =>
    app.inject({ method, url, payload, headers: { authorization: await bearer(app, userId) } });
  const claim = (userId: string, handle: string) => call('POST', '/api/v1/identities', userId, { handle });

  it('looks identities up by id and by @handle separately, so a handle cannot shadow another user id', async () => {
    const carla = `chefcarla${run}`;
    const impostor = `u3-${run}`;
    assert.equal((await claim(carla, h('carla'))).statusCode, 201);
    // The impostor's handle spells carla's user id.
    const taken = await claim(impostor, carla);
    assert.equal(taken.statusCode, 201, taken.body);

    const byId = await call('GET', `/api/v1/identities/${carla}`, 'reader');
    assert.equal(byId.statusCode, 200, byId.body);
    assert.equal(byId.json().id, carla, 'a bare value is always a user id');
    const byHandle = await call('GET', `/api/v1/identities/@${carla.toUpperCase()}`, 'reader');
    assert.equal(byHandle.json().id, impostor, '@ names a handle');
    assert.equal((await call('GET', `/api/v1/identities/%40${h('carla')}`, 'reader')).json().id, carla);

    // A handle is never read as an id, nor an id as a handle.
    assertProblem(await call('GET', `/api/v1/identities/${h('carla')}`, 'reader'), 404, 'not-found');
    assertProblem(await call('GET', `/api/v1/identities/@${impostor}`, 'reader'), 404, 'not-found');

    const renamed = await call('PUT', `/api/v1/identities/${carla}/handle`, carla, { handle: h('carla.new') });
    assert.equal(renamed.statusCode, 200, renamed.body);
    const old = await call('GET', `/api/v1/identities/@${h('carla')}`, 'reader');
    assert.equal(old.statusCode, 307);
    assert.equal(old.headers.location, `/api/v1/identities/@${h('carla.new')}`);
  });

  it('answers 415 naming application/json for a JSON body sent as text/plain, creating nothing', async () => {
    const userId = `plain-${run}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/identities',
      headers: { authorization: await bearer(app, userId), 'content-type': 'text/plain;charset=UTF-8' },
      payload: JSON.stringify({ handle: h('plain') }),
    });
    assert.match(assertProblem(res, 415, 'unsupported-media-type').detail, /application\/json/);
    assertProblem(await call('GET', `/api/v1/identities/${userId}`, 'reader'), 404, 'not-found');
  });

  it('names the allowed values of an enum and lists one error per field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/identities/someone-${run}/verification/decision`,
      headers: { authorization: await bearer(app, `ops-${run}`, ['operator']) },
      payload: { decision: 'maybe' },
    });
    const problem = assertProblem(res, 422, 'validation-failed');
    assert.deepEqual(problem.errors, [{ path: '/decision', message: 'must be one of "approve", "reject"' }]);
    assert.equal(
      problem.detail,
      'The request body does not match the schema: /decision must be one of "approve", "reject"',
    );

    const opsQuery = await app.inject({
      method: 'GET',
      url: '/api/v1/verifications?status=closed',
      headers: { authorization: await bearer(app, `ops-${run}`, ['operator']) },
    });
    assert.deepEqual(assertProblem(opsQuery, 400, 'invalid-request').errors, [
      { path: '/status', message: 'must be one of "pending", "escalated"' },
    ]);
  });

  it('limits handle renames per period (429 with Retry-After), taking back a reserved old handle for free', async () => {
    const owner = `squatter-${run}`;
    const rename = (handle: string) => call('PUT', `/api/v1/identities/${owner}/handle`, owner, { handle });
    assert.equal((await claim(owner, h('sq0'))).statusCode, 201);
    assert.equal((await rename(h('sq1'))).statusCode, 200);
    assert.equal((await rename(h('sq2'))).statusCode, 200);

    const refused = assertProblem(await rename(h('sq3')), 429, 'rate-limited');
    assert.match(refused.detail, /2 times per 30 days/);
    const res = await rename(h('sq3'));
    assert.ok(Number(res.headers['retry-after']) > 29 * 86_400, `Retry-After ${res.headers['retry-after']}`);
    assert.equal((await call('GET', `/api/v1/identities/${owner}`, 'reader')).json().handle, h('sq2'));
    assert.equal((await claim(`other-${run}`, h('sq3'))).statusCode, 201, 'the refused handle was not parked');

    const back = await rename(h('sq1'));
    assert.equal(back.statusCode, 200, 'an old handle still reserved for its owner is taken back without counting');
    assert.equal(back.json().handle, h('sq1'));
  });

  it('shows notifications with one shape (readAt) on every route that lists them', async () => {
    const userId = `inbox-${run}`;
    const { db } = await app.mongo.get();
    const base = { recipient: userId, kind: 'test', title: 't', body: 'b', data: {} };
    await notificationsCollection(db).insertMany([
      { ...base, _id: `n1-${run}`, createdAt: new Date(Date.now() - 1_000), readAt: new Date(Date.now() - 500) },
      { ...base, _id: `n2-${run}`, createdAt: new Date(), readAt: null },
    ]);
    const inbox = (await call('GET', '/api/v1/notifications', userId)).json<{ items: object[] }>().items;
    const own = (await call('GET', `/api/v1/identities/${userId}/notifications`, userId)).json<{ items: object[] }>();
    assert.deepEqual(own.items, inbox);
    assert.deepEqual(
      own.items.map((n) => Object.keys(n).sort()),
      Array(2).fill(['body', 'createdAt', 'data', 'id', 'kind', 'readAt', 'title']),
    );
    assert.equal((own.items[0] as { readAt: unknown }).readAt, null);
  });

  it('pages GET /feed/batch-runs with a cursor', async () => {
    const { db } = await app.mongo.get();
    const at = Date.now();
    const runs = [0, 1, 2].map((i) => ({
      _id: `run-${run}-${i}`,
      status: 'completed' as const,
      startedAt: new Date(at - i * 60_000),
      users: i,
      itemsScored: 0,
      failures: 0,
    }));
    await scoringRunsCollection(db).insertMany(runs);
    const ops = await bearer(app, `ops-${run}`, ['operator']);
    const page = async (query: string) =>
      app.inject({ method: 'GET', url: `/api/v1/feed/batch-runs?${query}`, headers: { authorization: ops } });
    const first = (await page('limit=2')).json<{ items: { runId: string }[]; nextCursor: string | null }>();
    assert.deepEqual(
      first.items.map((r) => r.runId),
      [runs[0]?._id, runs[1]?._id],
    );
    assert.ok(first.nextCursor);
    const second = (await page(`limit=2&cursor=${first.nextCursor}`)).json<{
      items: { runId: string }[];
      nextCursor: string | null;
    }>();
    assert.deepEqual(
      second.items.map((r) => r.runId),
      [runs[2]?._id],
    );
    assert.equal(second.nextCursor, null);
    assert.deepEqual(
      assertProblem(await page('cursor=bm90LWEtY3Vyc29y'), 422, 'validation-failed').errors?.[0]?.path,
      '/cursor',
    );
  });

  it('gives content one id form with or without an Idempotency-Key', async () => {
    const creator = `maker-${run}`;
    const publish = async (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/content',
        headers: { authorization: await bearer(app, creator, ['creator']), ...headers },
        payload: { title: 'Pasta at home', type: 'video' },
      });
    const plain = await publish({});
    const keyed = await publish({ 'idempotency-key': `k-${run}` });
    assert.equal(plain.statusCode, 201, plain.body);
    assert.equal(keyed.statusCode, 201, keyed.body);
    assert.match(plain.json().id, /^c-[0-9a-f]{32}$/);
    assert.match(keyed.json().id, /^c-[0-9a-f]{32}$/);
  });

  it('refuses NUL and control characters in titles and station names (422), storing nothing', async () => {
    const owner = `ctl-${run}`;
    const creatorCall = async (method: 'POST' | 'PATCH', url: string, payload: object) =>
      app.inject({ method, url, payload, headers: { authorization: await bearer(app, owner, ['creator']) } });
    const named = assertProblem(
      await creatorCall('POST', '/api/v1/stations', { name: 'My\u0000TV' }),
      422,
      'validation-failed',
    );
    assert.deepEqual(
      named.errors?.map((e) => e.path),
      ['/name'],
    );
    assert.match(named.errors?.[0]?.message ?? '', /single-line/);
    const listed = (await call('GET', `/api/v1/stations?ownerId=${owner}`, owner)).json<{ items: unknown[] }>();
    assert.equal(listed.items.length, 0, 'nothing stored');

    const station = await creatorCall('POST', '/api/v1/stations', {
      name: 'Fine TV',
      description: 'line one\nline two',
    });
    assert.equal(station.statusCode, 201, 'line breaks are fine in a description');
    const id = station.json<{ id: string }>().id;
    assertProblem(
      await creatorCall('PATCH', `/api/v1/stations/${id}`, { name: 'Bell\u0007' }),
      422,
      'validation-failed',
    );
    const show = {
      title: 'Esc\u001b[31m',
      startAt: new Date(Date.now() + 3_600_000).toISOString(),
      durationMinutes: 30,
    };
    assertProblem(await creatorCall('POST', `/api/v1/stations/${id}/shows`, show), 422, 'validation-failed');
    const item = { title: 'Tab\tin title', type: 'video' };
    assertProblem(await creatorCall('POST', '/api/v1/content', item), 422, 'validation-failed');
    assertProblem(
      await creatorCall('POST', '/api/v1/content', { title: 'ok', description: 'nul\u0000', type: 'video' }),
      422,
      'validation-failed',
    );
  });
});
