import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../../src/api/principal.js';
import { workflowIds } from '../../workflows/ids.js';
import { bearer, build, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';
import { uniqueId } from '../helpers/workflow-env.js';
import { assertProblem } from '../api/support/problem.js';

/**
 * What a first client team hit (issue 21) that needs the workflows: going live early, verification decisions and
 * their timestamps, Brain Mode's show ids and confirmations, onboarding credit for what came before the handle.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: uniqueId('client-team-tq'),
  BRAIN_CONFIRMATION_SECONDS: '60',
});
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const SHOW_ID = /^sh_[0-9a-f]{32}$/;

interface ShowBody {
  showId: string;
  title: string;
  status: string;
  startAt: string;
  endAt: string;
}

describe('client-team sharp edges through REST (real Temporal, worker in process)', () => {
  const app = build({ after }, config);
  let platform: Platform;
  const started = new Set<string>();

  before(async () => {
    platform = await startPlatform(config);
    await app.ready();
  });
  after(async () => {
    for (const id of started) {
      await platform.temporal.client.workflow
        .getHandle(id)
        .terminate('test finished')
        .catch(() => undefined);
    }
    await platform.close();
  });

  type Method = 'GET' | 'POST' | 'PUT';
  const call = async (method: Method, url: string, userId: string, payload?: object, roles: Role[] = ['user']) =>
    app.inject({ method, url, payload, headers: { authorization: await bearer(app, userId, roles) } });

  async function createStation(ownerId: string, name = `${ownerId} TV`): Promise<string> {
    const res = await call('POST', '/api/v1/stations', ownerId, { name }, ['creator']);
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json<{ id: string }>().id;
    started.add(workflowIds.tvStation(id));
    return id;
  }
  async function book(owner: string, stationId: string, startMs: number, durationMinutes: number): Promise<ShowBody> {
    const res = await call('POST', `/api/v1/stations/${stationId}/shows`, owner, {
      title: 'Booked title',
      startAt: new Date(startMs).toISOString(),
      durationMinutes,
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json<ShowBody>();
  }
  const durationOf = (show: ShowBody) => Date.parse(show.endAt) - Date.parse(show.startAt);

  it('going live early with a show booked for tomorrow applies the given title and duration', async () => {
    const owner = uniqueId('early');
    const stationId = await createStation(owner);
    const booked = await book(owner, stationId, Date.now() + 26 * HOUR_MS, 90);
    assert.match(booked.showId, SHOW_ID);

    const before = Date.now();
    const live = await call('POST', `/api/v1/stations/${stationId}/live`, owner, {
      showId: booked.showId,
      title: 'Surprise early start',
      durationMinutes: 30,
    });
    assert.equal(live.statusCode, 201, live.body);
    const show = live.json<ShowBody>();
    assert.deepEqual([show.showId, show.status, show.title], [booked.showId, 'live', 'Surprise early start']);
    assert.ok(Date.parse(show.startAt) >= before - 1000, `starts now: ${show.startAt}`);
    assert.equal(durationOf(show), 30 * MINUTE_MS, 'ends durationMinutes from now');
  });

  it('going live early without title or duration keeps the title, and the planned length when booked far ahead', async () => {
    const owner = uniqueId('early2');
    const stationId = await createStation(owner);
    const tomorrow = await book(owner, stationId, Date.now() + 26 * HOUR_MS, 90);
    const live = await call('POST', `/api/v1/stations/${stationId}/live`, owner, { showId: tomorrow.showId });
    assert.equal(live.statusCode, 201, live.body);
    assert.equal(live.json<ShowBody>().title, 'Booked title');
    assert.equal(durationOf(live.json<ShowBody>()), 90 * MINUTE_MS);
    assert.equal((await call('POST', `/api/v1/stations/${stationId}/live/end`, owner, {})).statusCode, 200);

    const soon = await book(owner, stationId, Date.now() + 10 * MINUTE_MS, 60);
    const early = await call('POST', `/api/v1/stations/${stationId}/live`, owner, { showId: soon.showId });
    assert.equal(early.statusCode, 201, early.body);
    assert.equal(early.json<ShowBody>().endAt, soon.endAt, 'a show starting soon keeps its planned end');

    const incomplete = await call('POST', `/api/v1/stations/${stationId}/live/end`, owner, {});
    assert.equal(incomplete.statusCode, 200);
    const unscheduled = assertProblem(
      await call('POST', `/api/v1/stations/${stationId}/live`, owner, { title: 'No length' }),
      422,
      'validation-failed',
    );
    assert.deepEqual(unscheduled.errors, [{ path: '/durationMinutes', message: 'is required without showId' }]);
  });

  it('answers a second decision on a decided verification with 409 and the current status', async () => {
    const creator = uniqueId('verif');
    const ops = uniqueId('ops');
    started.add(workflowIds.verification(creator)).add(workflowIds.onboarding(creator));
    const handle = `v_${creator.replace(/[^a-z0-9]/g, '').slice(-20)}`;
    assert.equal((await call('POST', '/api/v1/identities', creator, { handle }, ['creator'])).statusCode, 201);
    const url = `/api/v1/identities/${creator}/verification`;
    const evidence = { evidence: [{ kind: 'youtube', url: 'https://www.youtube.com/@someone' }] };
    const requested = await call('POST', url, creator, evidence, ['creator']);
    assert.equal(requested.statusCode, 201, requested.body);

    const requestedAt = requested.json<{ requestedAt: string }>().requestedAt;
    assert.equal((await call('GET', url, creator, undefined, ['creator'])).json().requestedAt, requestedAt);
    const listed = await eventually(
      async () =>
        (await call('GET', '/api/v1/verifications?limit=100', ops, undefined, ['operator'])).json<{
          items: { userId: string; requestedAt: string }[];
        }>(),
      (page) => page.items.some((i) => i.userId === creator),
      'the request in the operators list',
    );
    assert.equal(listed.items.find((i) => i.userId === creator)?.requestedAt, requestedAt, 'one time everywhere');

    const decide = (decision: string) => call('POST', `${url}/decision`, ops, { decision }, ['operator'] as Role[]);
    assert.equal((await decide('approve')).statusCode, 202);
    const second = assertProblem(await decide('reject'), 409, 'conflict');
    assert.equal(second.currentStatus, 'approved');
    assert.match(second.detail, /already approved/);
    assert.equal(
      await platform.temporal.client.workflow.getHandle(workflowIds.verification(creator)).result(),
      'approved',
    );
    const afterEnd = assertProblem(await decide('reject'), 409, 'conflict');
    assert.equal(afterEnd.currentStatus, 'approved', 'also once the workflow has completed');
  });

  it('gives a show scheduled through Brain Mode a show id of the normal form', async () => {
    const host = uniqueId('bhost');
    const stationId = await createStation(host, `ct${process.pid}tv`);
    const res = await call(
      'POST',
      '/api/v1/brain/commands',
      host,
      { text: `schedule a show on the ct${process.pid}tv station tomorrow at 8pm`, timezone: 'UTC' },
      ['creator'],
    );
    assert.equal(res.statusCode, 202, res.body);
    started.add(workflowIds.brainCommand(res.json<{ commandId: string }>().commandId));
    await eventually(
      async () => (await call('GET', res.json<{ statusUrl: string }>().statusUrl, host)).json<{ status: string }>(),
      (c) => c.status === 'completed',
      'the schedule command',
    );
    const schedule = await call('GET', `/api/v1/stations/${stationId}/schedule`, host);
    const shows = schedule.json<{ shows: ShowBody[] }>().shows;
    assert.equal(shows.length, 1, schedule.body);
    assert.match(shows[0]?.showId ?? '', SHOW_ID);
  });

  it('answers POST …/confirm with the state after the confirmation', async () => {
    const host = uniqueId('confirm');
    const stationId = await createStation(host);
    const live = await call('POST', `/api/v1/stations/${stationId}/live`, host, {
      title: 'On air',
      durationMinutes: 60,
    });
    assert.equal(live.statusCode, 201, live.body);
    const res = await call(
      'POST',
      '/api/v1/brain/actions',
      host,
      { action: 'end_live', params: { station: stationId } },
      ['creator'],
    );
    assert.equal(res.statusCode, 202, res.body);
    const { statusUrl, commandId } = res.json<{ statusUrl: string; commandId: string }>();
    started.add(workflowIds.brainCommand(commandId));
    await eventually(
      async () => (await call('GET', statusUrl, host)).json<{ status: string }>(),
      (c) => c.status === 'awaiting_confirmation',
      'the confirmation request',
    );
    const confirmed = await call('POST', `${statusUrl}/confirm`, host);
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    const body = confirmed.json<{ status: string; awaitingConfirmation: unknown; history: { kind: string }[] }>();
    assert.notEqual(body.status, 'awaiting_confirmation');
    assert.equal(body.awaitingConfirmation, null);
    assert.ok(
      body.history.some((h) => h.kind === 'confirmed'),
      JSON.stringify(body.history),
    );
  });

  it('counts a follow and an engagement made before claiming a handle toward onboarding', async () => {
    const user = uniqueId('early-bird');
    const creator = uniqueId('followed');
    started.add(workflowIds.onboarding(user)).add(workflowIds.userInterest(user)).add(workflowIds.onboarding(creator));
    const creatorHandle = `c_${creator.replace(/[^a-z0-9]/g, '').slice(-20)}`;
    assert.equal(
      (await call('POST', '/api/v1/identities', creator, { handle: creatorHandle }, ['creator'])).statusCode,
      201,
    );

    assert.equal((await call('POST', `/api/v1/users/${creator}/follow`, user)).statusCode, 201);
    const event = {
      eventId: uniqueId('ev'),
      userId: user,
      type: 'like',
      contentId: 'video-1',
      occurredAt: new Date().toISOString(),
    };
    assert.equal((await call('POST', '/api/v1/events', user, { events: [event] })).statusCode, 202);
    // The event is relayed to the user's interest workflow before onboarding exists.
    await eventually(
      async () => (await call('GET', `/api/v1/users/${user}/interests`, user)).statusCode,
      (status) => status === 200,
      'the engagement applied',
    );

    const handle = `e_${user.replace(/[^a-z0-9]/g, '').slice(-20)}`;
    assert.equal((await call('POST', '/api/v1/identities', user, { handle })).statusCode, 201);
    const progress = await eventually(
      async () => (await call('GET', `/api/v1/identities/${user}/onboarding`, user)).json<{ done: string[] }>(),
      (p) => p.done?.length === 3,
      'earlier progress counted',
    );
    assert.deepEqual([...progress.done].sort(), ['claim_handle', 'first_engagement', 'follow_creator']);
  });
});
