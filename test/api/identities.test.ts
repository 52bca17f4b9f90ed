import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ORPHAN_CLAIM_GRACE_MS } from '../../src/api/routes/identities/handle-claims.js';
import type { HandleDoc } from '../../src/store/handles.js';
import {
  claimIdempotencyKey,
  idempotencyId,
  releaseIdempotencyKey,
  type IdempotentReplyDoc,
} from '../../src/store/idempotency.js';
import { bearer, build, testConfig } from '../helpers/build-app.js';
import { assertProblem } from './support/problem.js';

const config = testConfig(import.meta.filename);
const HOUR_MS = 3_600_000;
const run = `${process.pid}${Date.now().toString(36)}`.slice(-8);
/** Handles unique to this run, so reruns against a kept database never collide. */
const h = (name: string) => `${name}_${run}`;

describe('identities: handles, renames, preferences, links, ownership', () => {
  const app = build({ after }, config);
  before(() => app.ready());

  const claim = async (userId: string, handle: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/identities',
      headers: { authorization: await bearer(app, userId), ...headers },
      payload: { handle },
    });
  const get = async (handleOrId: string) =>
    app.inject({
      method: 'GET',
      url: `/api/v1/identities/${handleOrId}`,
      headers: { authorization: await bearer(app, 'reader') },
    });
  const put = async (userId: string, url: string, payload: unknown, roles: ('user' | 'operator')[] = ['user']) =>
    app.inject({
      method: 'PUT',
      url,
      headers: { authorization: await bearer(app, userId, roles) },
      payload: payload as object,
    });

  it('claims a handle (201) and treats other spellings of it as the same handle', async () => {
    const created = await claim(`alice-${run}`, `@Alice.${run}`);
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().handle, `alice.${run}`);
    assert.equal(created.headers.location, `/api/v1/identities/alice-${run}`);

    assertProblem(await claim(`bob-${run}`, `ALICE.${run}`), 409, 'conflict');
    const found = await get(`@ALICE.${run}`);
    assert.equal(found.statusCode, 200);
    assert.equal(found.json().id, `alice-${run}`);
    assert.equal((await get(`alice-${run}`)).json().handle, `alice.${run}`, 'by id too');
  });

  it('refuses invalid and reserved handles with the reason, creating nothing', async () => {
    const reserved = assertProblem(await claim(`carol-${run}`, 'Ad.Min'), 422, 'validation-failed');
    assert.deepEqual(
      reserved.errors?.map((e) => e.path),
      ['/handle'],
    );
    assert.match(reserved.detail, /reserved/);
    assertProblem(await claim(`carol-${run}`, 'ab'), 422, 'validation-failed');
    assertProblem(await get(`carol-${run}`), 404, 'not-found');
  });

  it('lets exactly one of many concurrent claims of one handle win', async () => {
    const handle = h('racer');
    const spellings = [handle, handle.toUpperCase(), `@${handle}`, ` ${handle} `, handle, handle.toUpperCase()];
    const replies = await Promise.all(spellings.map((s, i) => claim(`racer${i}-${run}`, s)));
    const statuses = replies.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409]);
    const winner = replies.find((r) => r.statusCode === 201)?.json<{ id: string }>().id;
    assert.equal((await get(`@${handle}`)).json().id, winner);
  });

  it('takes over a claim left behind without an identity, once it is older than the grace period', async () => {
    const { db } = await app.mongo.get();
    const orphan = h('orphan');
    const claimedAt = new Date(Date.now() - ORPHAN_CLAIM_GRACE_MS - 1_000);
    await db
      .collection<HandleDoc>('handles')
      .insertOne({ _id: orphan, identityId: `ghost-${run}`, claimedAt, redirectTo: null, reservedUntil: null });
    const fresh = h('fresh.orphan');
    await db.collection<HandleDoc>('handles').insertOne({
      _id: fresh,
      identityId: `ghost2-${run}`,
      claimedAt: new Date(),
      redirectTo: null,
      reservedUntil: null,
    });
    assertProblem(await claim(`nina-${run}`, fresh), 409, 'conflict');
    const taken = await claim(`nina-${run}`, orphan);
    assert.equal(taken.statusCode, 201, taken.body);
    assert.equal((await get(`@${orphan}`)).json().id, `nina-${run}`);
  });

  it('answers a repeated Idempotency-Key with the first result', async () => {
    const headers = { 'idempotency-key': `k-${run}` };
    const first = await claim(`dave-${run}`, h('dave'), headers);
    const again = await claim(`dave-${run}`, h('dave'), headers);
    assert.equal(first.statusCode, 201);
    assert.equal(again.statusCode, 201);
    assert.deepEqual(again.json(), first.json());
    assertProblem(await claim(`dave-${run}`, h('dave')), 409, 'conflict');
  });

  it("gives concurrent first requests with one Idempotency-Key the same reply, the first request's", async () => {
    const headers = { 'idempotency-key': `twins-${run}` };
    const replies = await Promise.all([1, 2, 3].map(() => claim(`eve-${run}`, h('eve'), headers)));
    assert.deepEqual(
      replies.map((r) => r.statusCode),
      [201, 201, 201],
      replies.map((r) => r.body).join('\n'),
    );
    assert.deepEqual(replies[1]?.json(), replies[0]?.json());
    assert.deepEqual(replies[2]?.json(), replies[0]?.json());
  });

  it('answers 409 request-in-progress with Retry-After while the first request holds the key past the wait', async (t) => {
    const impatient = build(t, testConfig(import.meta.filename, { IDEMPOTENCY_WAIT_MS: '0' }));
    const userId = `finn-${run}`;
    const key = `slow-${run}`;
    await impatient.ready();
    const { db } = await impatient.mongo.get();
    const id = idempotencyId('identities', userId, key);
    const times = { now: new Date(), ttlMs: HOUR_MS, leaseMs: 60_000 };
    const first = await claimIdempotencyKey(db, id, times);
    assert.equal(first.kind, 'reserved');
    const post = async () =>
      impatient.inject({
        method: 'POST',
        url: '/api/v1/identities',
        headers: { authorization: await bearer(impatient, userId), 'idempotency-key': key },
        payload: { handle: h('finn') },
      });
    const busy = await post();
    assertProblem(busy, 409, 'request-in-progress');
    assert.ok(Number(busy.headers['retry-after']) >= 1, `retry-after: ${busy.headers['retry-after']}`);

    // The first request failed and let go of the key: the repeat runs itself.
    if (first.kind === 'reserved') await releaseIdempotencyKey(db, id, first.token);
    const ran = await post();
    assert.equal(ran.statusCode, 201, ran.body);
    assert.equal(ran.json().id, userId);
  });

  it('forgets a stored reply once it expires: the key then runs the request again', async () => {
    const userId = `gus-${run}`;
    const headers = { 'idempotency-key': `old-${run}` };
    const first = await claim(userId, h('gus'), headers);
    assert.equal(first.statusCode, 201, first.body);
    const { db } = await app.mongo.get();
    const keys = db.collection<IdempotentReplyDoc>('idempotency_keys');
    const id = idempotencyId('identities', userId, `old-${run}`);
    const doc = await keys.findOne({ _id: id });
    assert.equal(
      (doc?.expiresAt?.getTime() ?? 0) - Date.now() > (config.IDEMPOTENCY_TTL_HOURS - 1) * HOUR_MS,
      true,
      `expires at ${doc?.expiresAt?.toISOString()}`,
    );
    assert.equal(config.IDEMPOTENCY_TTL_HOURS, 24, 'the documented default');

    await keys.updateOne({ _id: id }, { $set: { expiresAt: new Date(Date.now() - 1_000) } });
    assertProblem(await claim(userId, h('gus'), headers), 409, 'conflict');
  });

  it('renames: the old handle redirects and stays reserved for the owner during the cooldown', async () => {
    const owner = `erin-${run}`;
    assert.equal((await claim(owner, h('erin'))).statusCode, 201);
    const renamed = await put(owner, `/api/v1/identities/${owner}/handle`, { handle: h('erin.new') });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().handle, h('erin.new'));

    const old = await get(`@${h('erin').toUpperCase()}`);
    assert.equal(old.statusCode, 307);
    assert.equal(old.headers.location, `/api/v1/identities/@${h('erin.new')}`);
    assert.equal((await get(`@${h('erin.new')}`)).json().id, owner);

    assertProblem(await claim(`frank-${run}`, h('erin')), 409, 'conflict');
    const back = await put(owner, `/api/v1/identities/${owner}/handle`, { handle: h('erin') });
    assert.equal(back.statusCode, 200, 'the previous owner may take it back');
    assert.equal((await get(`@${h('erin')}`)).json().id, owner);
    assert.equal((await get(`@${h('erin.new')}`)).statusCode, 307);
  });

  it('releases a renamed-away handle to others once the cooldown is over', async () => {
    const noCooldown = build({ after }, testConfig(import.meta.filename, { HANDLE_RENAME_COOLDOWN_DAYS: '0' }));
    await noCooldown.ready();
    const owner = `gina-${run}`;
    const inject = async (userId: string, method: 'POST' | 'PUT', url: string, payload: object) =>
      noCooldown.inject({ method, url, payload, headers: { authorization: await bearer(noCooldown, userId) } });
    assert.equal((await inject(owner, 'POST', '/api/v1/identities', { handle: h('gina') })).statusCode, 201);
    assert.equal(
      (await inject(owner, 'PUT', `/api/v1/identities/${owner}/handle`, { handle: h('gina2') })).statusCode,
      200,
    );
    const taken = await inject(`hank-${run}`, 'POST', '/api/v1/identities', { handle: h('gina') });
    assert.equal(taken.statusCode, 201, taken.body);
  });

  it('refuses edits of another identity with 403 and changes nothing', async () => {
    const owner = `ivan-${run}`;
    assert.equal((await claim(owner, h('ivan'))).statusCode, 201);
    const other = await bearer(app, `mallory-${run}`);
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/identities/${owner}`,
      headers: { authorization: other },
      payload: { displayName: 'pwned' },
    });
    assertProblem(patch, 403, 'forbidden');
    assertProblem(
      await put(`mallory-${run}`, `/api/v1/identities/${owner}/handle`, { handle: h('stolen') }),
      403,
      'forbidden',
    );
    assertProblem(
      await put(`mallory-${run}`, `/api/v1/identities/${owner}/preferences/tv`, { a: 1 }),
      403,
      'forbidden',
    );
    assertProblem(await put(`mallory-${run}`, `/api/v1/identities/${owner}/links`, { links: [] }), 403, 'forbidden');
    const stored = (await get(owner)).json();
    assert.equal(stored.displayName, h('ivan'));
    assert.equal(stored.handle, h('ivan'));

    const own = await app.inject({
      method: 'PATCH',
      url: `/api/v1/identities/${owner}`,
      headers: { authorization: await bearer(app, owner) },
      payload: { displayName: 'Ivan', timezone: 'Europe/Paris', locale: 'fr-FR' },
    });
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.json().timezone, 'Europe/Paris');
    const badZone = await app.inject({
      method: 'PATCH',
      url: `/api/v1/identities/${owner}`,
      headers: { authorization: await bearer(app, owner) },
      payload: { timezone: 'Mars/Olympus_Mons' },
    });
    assert.deepEqual(
      assertProblem(badZone, 422, 'validation-failed').errors?.map((e) => e.path),
      ['/timezone'],
    );
    assert.equal((await get(owner)).json().timezone, 'Europe/Paris');
  });

  it('bounds app preference documents: 413 when too large, 422 when too deep or not an object', async () => {
    const owner = `judy-${run}`;
    assert.equal((await claim(owner, h('judy'))).statusCode, 201);
    const url = `/api/v1/identities/${owner}/preferences/tv`;
    assertProblem(await put(owner, url, { blob: 'x'.repeat(17 * 1024) }), 413, 'payload-too-large');
    let deep: object = { leaf: true };
    for (let i = 0; i < 9; i++) deep = { next: deep };
    assertProblem(await put(owner, url, deep), 422, 'validation-failed');
    assertProblem(await put(owner, url, [1, 2, 3]), 422, 'validation-failed');
    assert.deepEqual((await getPrefs(owner, url)).preferences, {}, 'refused writes changed nothing');

    const ok = await put(owner, url, { theme: 'dark', 'odd.key': { $n: 1 } });
    assert.equal(ok.statusCode, 200, ok.body);
    const read = await getPrefs(owner, url);
    assert.deepEqual(read.preferences, { theme: 'dark', 'odd.key': { $n: 1 } });
    assert.deepEqual(read.shared.contentTypeOptOuts, []);
  });

  it('shares common preferences with every app', async () => {
    const owner = `kate-${run}`;
    assert.equal((await claim(owner, h('kate'))).statusCode, 201);
    const shared = {
      language: 'de',
      contentTypeOptOuts: ['live'],
      notifications: { push: false, email: true, reminders: false },
    };
    assert.equal((await put(owner, `/api/v1/identities/${owner}/preferences`, shared)).statusCode, 200);
    assert.deepEqual((await getPrefs(owner, `/api/v1/identities/${owner}/preferences/studio`)).shared, shared);
    assert.deepEqual((await getPrefs(owner, `/api/v1/identities/${owner}/preferences/video`)).shared, shared);
    const bad = { ...shared, contentTypeOptOuts: ['holograms'] };
    const refused = assertProblem(
      await put(owner, `/api/v1/identities/${owner}/preferences`, bad),
      422,
      'validation-failed',
    );
    assert.deepEqual(
      refused.errors?.map((e) => e.path),
      ['/contentTypeOptOuts/0'],
    );
  });

  it('validates external links and names the refused ones', async () => {
    const owner = `liam-${run}`;
    assert.equal((await claim(owner, h('liam'))).statusCode, 201);
    const url = `/api/v1/identities/${owner}/links`;
    const refused = assertProblem(
      await put(owner, url, {
        links: [
          { kind: 'youtube', url: 'https://www.youtube.com/@liam' },
          { kind: 'youtube', url: 'https://evil.example.com/' },
          { kind: 'website', url: 'javascript:alert(1)' },
          { kind: 'myspace', url: 'https://myspace.com/liam' },
        ],
      }),
      422,
      'validation-failed',
    );
    assert.deepEqual(
      refused.errors?.map((e) => e.path),
      ['/links/1', '/links/2', '/links/3'],
    );
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ kind: 'website', url: `https://site${i}.example.com/` }));
    assertProblem(await put(owner, url, { links: tooMany }), 422, 'validation-failed');
    assert.deepEqual((await get(owner)).json().links, []);

    const ok = await put(owner, url, { links: [{ kind: 'github', url: 'https://github.com/liam' }] });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual((await get(owner)).json().links, [{ kind: 'github', url: 'https://github.com/liam' }]);
  });

  it('lets only operators decide verification requests', async () => {
    const owner = `mona-${run}`;
    const decide = async (userId: string, roles: ('user' | 'creator' | 'operator')[]) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/identities/${owner}/verification/decision`,
        headers: { authorization: await bearer(app, userId, roles) },
        payload: { decision: 'approve' },
      });
    assertProblem(await decide(owner, ['creator']), 403, 'forbidden');
    assertProblem(await decide(`svc-${run}`, ['user']), 403, 'forbidden');
    assertProblem(await decide(`ops-${run}`, ['operator']), 409, 'conflict');
  });

  async function getPrefs(userId: string, url: string) {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: await bearer(app, userId) } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ preferences: unknown; shared: { contentTypeOptOuts: string[] } }>();
  }
});
