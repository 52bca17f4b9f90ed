import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Role } from '../../src/api/principal.js';
import { workflowIds } from '../../workflows/ids.js';
import { assertProblem } from '../api/support/problem.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { useApiAndPlatform } from '../helpers/platform.js';
import { uniqueId } from '../helpers/workflow-env.js';

/**
 * Idempotency-Key on the creating routes that start or signal workflows, through REST with a worker in this process:
 * a client that resends after a lost reply gets the first result instead of a second station, show, broadcast or
 * verification request; a request that failed leaves its key free for the corrected retry.
 */
const config = testConfig(import.meta.filename, { TEMPORAL_TASK_QUEUE: uniqueId('idem-tq') });
const HOUR_MS = 3_600_000;

describe('Idempotency-Key on stations, shows, live and verification (integration)', () => {
  const suite = useApiAndPlatform(config);
  const { app, workflows } = suite;

  const send = async (method: 'GET' | 'POST', url: string, as: string, roles: Role[], payload?: object, key?: string) =>
    app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      headers: { authorization: await bearer(app, as, roles), ...(key ? { 'idempotency-key': key } : {}) },
    });

  async function station(owner: string, key?: string): Promise<string> {
    const res = await send('POST', '/api/v1/stations', owner, ['creator'], { name: `${owner} tv` }, key);
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json<{ id: string }>().id;
    workflows.add(workflowIds.tvStation(id));
    return id;
  }

  it('a resent station create names the same station; the key is per owner', async () => {
    const owner = uniqueId('idem-owner');
    const key = uniqueId('station-key');
    const first = await station(owner, key);
    assert.equal(await station(owner, key), first, 'the resend is the first station');
    assert.notEqual(await station(owner, uniqueId('other-key')), first, 'another key is another station');
    assert.notEqual(await station(uniqueId('idem-other'), key), first, "another owner's key is theirs");
    const mine = await send('GET', `/api/v1/stations?ownerId=${owner}`, owner, ['creator']);
    assert.equal(mine.json<{ items: unknown[] }>().items.length, 2, 'two stations, not three');
  });

  it('a resent show schedules one show, not an overlap of itself', async () => {
    const owner = uniqueId('idem-host');
    const id = await station(owner);
    const show = { title: 'Quiz', startAt: new Date(Date.now() + 2 * HOUR_MS).toISOString(), durationMinutes: 60 };
    const key = uniqueId('show-key');
    const first = await send('POST', `/api/v1/stations/${id}/shows`, owner, ['creator'], show, key);
    assert.equal(first.statusCode, 201, first.body);
    const again = await send('POST', `/api/v1/stations/${id}/shows`, owner, ['creator'], show, key);
    assert.equal(again.statusCode, 201, again.body);
    assert.equal(again.json().showId, first.json().showId);
    // The same request without a key is a new show, which overlaps the first: what the key protects against.
    assertProblem(
      await send('POST', `/api/v1/stations/${id}/shows`, owner, ['creator'], show),
      409,
      'schedule-overlap',
    );
    const schedule = await send('GET', `/api/v1/stations/${id}/schedule`, owner, ['creator']);
    assert.deepEqual(
      schedule.json().shows.map((s: { showId: string }) => s.showId),
      [first.json().showId],
    );
  });

  it('a resent go-live returns the broadcast already on air', async () => {
    const owner = uniqueId('idem-live');
    const id = await station(owner);
    const key = uniqueId('live-key');
    const body = { title: 'Match', durationMinutes: 30 };
    const first = await send('POST', `/api/v1/stations/${id}/live`, owner, ['creator'], body, key);
    assert.equal(first.statusCode, 201, first.body);
    const again = await send('POST', `/api/v1/stations/${id}/live`, owner, ['creator'], body, key);
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual([again.json().showId, again.json().status], [first.json().showId, 'live']);
    const schedule = await send('GET', `/api/v1/stations/${id}/schedule`, owner, ['creator']);
    assert.deepEqual(
      schedule.json().shows.map((s: { showId: string; status: string }) => [s.showId, s.status]),
      [[first.json().showId, 'live']],
    );
  });

  it('a resent verification request replays its 201; a failed one frees the key for the corrected retry', async () => {
    const creator = uniqueId('idem-creator');
    workflows.add(workflowIds.verification(creator)).add(workflowIds.onboarding(creator));
    const handle = `idem_${creator.replace(/[^A-Za-z0-9]/g, '').slice(-12)}`;
    const created = await send('POST', '/api/v1/identities', creator, ['creator'], { handle });
    assert.equal(created.statusCode, 201, created.body);
    const url = `/api/v1/identities/${creator}/verification`;
    const key = uniqueId('verify-key');

    const bad = { evidence: [{ kind: 'youtube', url: 'https://evil.example.com/' }] };
    assertProblem(await send('POST', url, creator, ['creator'], bad, key), 422, 'validation-failed');
    // Same key, corrected body: the 422 was not remembered, so this one runs and opens the request.
    const good = { evidence: [{ kind: 'youtube', url: 'https://www.youtube.com/@idem' }] };
    const first = await send('POST', url, creator, ['creator'], good, key);
    assert.equal(first.statusCode, 201, first.body);
    const again = await send('POST', url, creator, ['creator'], good, key);
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual(again.json(), first.json(), 'the first reply, replayed');
    // Without the key the repeat is a second request, refused because one is open.
    assertProblem(await send('POST', url, creator, ['creator'], good), 409, 'conflict');
    assert.equal((await send('GET', url, creator, ['creator'])).json().status, 'pending');
  });
});
