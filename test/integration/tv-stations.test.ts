import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notificationsCollection } from '../../src/store/notifications.js';
import { relationshipsCollection } from '../../src/store/relationships.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { findShow } from '../../src/store/shows.js';
import { workflowIds } from '../../workflows/ids.js';
import type { Role } from '../../src/api/principal.js';
import { bearer, build, testConfig } from '../helpers/build-app.js';
import {
  completedActivityAttempts,
  eventually,
  startPlatform,
  terminateWorkflows,
  type Platform,
} from '../helpers/platform.js';
import { uniqueId } from '../helpers/workflow-env.js';
import { assertProblem } from '../api/support/problem.js';

/** Stations through REST against the real services, with a worker in this process running the station workflows. */
const config = testConfig(import.meta.filename, { TEMPORAL_TASK_QUEUE: uniqueId('tv-tq') });
const HOUR_MS = 3_600_000;

describe('TV stations through the API (real Temporal, worker in process)', () => {
  const app = build({ after }, config);
  let platform: Platform;
  const started = new Set<string>();

  before(async () => {
    // Fan-out and the end-of-show record run twice: the first attempt does the work and is then lost, as when the
    // worker dies before reporting it, so the tests below show both are safe to retry.
    platform = await startPlatform(config, { failFirstAttemptOf: ['notifyFollowers', 'recordFinishedShow'] });
    await app.ready();
  });
  after(async () => {
    // A station workflow idles for days; end the ones this file started so the dev server stays clean.
    await terminateWorkflows(platform.temporal, started);
    await platform.close();
  });

  type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
  const call = async (method: Method, url: string, userId: string, payload?: object, roles: Role[] = ['user']) =>
    app.inject({ method, url, payload, headers: { authorization: await bearer(app, userId, roles) } });

  async function createStation(ownerId: string): Promise<string> {
    const res = await call('POST', '/api/v1/stations', ownerId, { name: `${ownerId}'s channel` }, ['creator']);
    assert.equal(res.statusCode, 201, res.body);
    const id = res.json<{ id: string }>().id;
    started.add(workflowIds.tvStation(id));
    return id;
  }
  const inAnHour = () => new Date(Date.now() + HOUR_MS).toISOString();

  it('creates, reads, renames and lists stations; only the owner may change one', async () => {
    const owner = uniqueId('creator');
    const id = await createStation(owner);
    const read = await call('GET', `/api/v1/stations/${id}`, 'someone');
    assert.equal(read.statusCode, 200);
    assert.deepEqual(
      { owner: read.json().ownerId, status: read.json().status, viewers: read.json().viewers },
      { owner, status: 'offline', viewers: null },
    );
    assertProblem(await call('PATCH', `/api/v1/stations/${id}`, 'intruder', { name: 'Mine now' }), 403, 'forbidden');
    const renamed = await call('PATCH', `/api/v1/stations/${id}`, owner, { name: 'Evening news' });
    assert.equal(renamed.json().name, 'Evening news');
    assertProblem(await call('POST', '/api/v1/stations', 'plain-user', { name: 'x' }), 403, 'forbidden');
    const mine = await call('GET', `/api/v1/stations?ownerId=${owner}`, owner);
    assert.deepEqual(
      mine.json().items.map((s: { id: string }) => s.id),
      [id],
    );
  });

  it('answers 403 when a non-owner schedules, and the schedule stays empty', async () => {
    const id = await createStation(uniqueId('creator'));
    const res = await call('POST', `/api/v1/stations/${id}/shows`, 'intruder', {
      title: 'Hijack',
      startAt: inAnHour(),
      durationMinutes: 30,
    });
    assertProblem(res, 403, 'forbidden');
    assertProblem(
      await call('POST', `/api/v1/stations/${id}/live`, 'intruder', { title: 'x', durationMinutes: 5 }),
      403,
      'forbidden',
    );
    const schedule = await call('GET', `/api/v1/stations/${id}/schedule`, 'intruder');
    assert.deepEqual(schedule.json().shows, []);
  });

  it('schedules a show (201) and refuses overlaps (409), past starts and absurd durations (422), saying why', async () => {
    const owner = uniqueId('creator');
    const id = await createStation(owner);
    const startAt = inAnHour();
    const created = await call('POST', `/api/v1/stations/${id}/shows`, owner, {
      title: 'Quiz',
      startAt,
      durationMinutes: 60,
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().status, 'scheduled');

    const overlapping = await call('POST', `/api/v1/stations/${id}/shows`, owner, {
      title: 'Clash',
      startAt: new Date(Date.parse(startAt) + 30 * 60_000).toISOString(),
      durationMinutes: 60,
    });
    assert.match(assertProblem(overlapping, 409, 'schedule-overlap').detail, /Overlaps "Quiz"/);
    const past = await call('POST', `/api/v1/stations/${id}/shows`, owner, {
      title: 'Yesterday',
      startAt: new Date(Date.now() - 24 * HOUR_MS).toISOString(),
      durationMinutes: 60,
    });
    assert.match(assertProblem(past, 422, 'schedule-in-past').detail, /in the past/);
    const endless = await call('POST', `/api/v1/stations/${id}/shows`, owner, {
      title: 'Forever',
      startAt: new Date(Date.now() + 5 * HOUR_MS).toISOString(),
      durationMinutes: 100_000,
    });
    assert.match(assertProblem(endless, 422, 'schedule-duration-too-long').detail, /at most/);
    const schedule = await call('GET', `/api/v1/stations/${id}/schedule`, owner);
    assert.deepEqual(
      schedule.json().shows.map((s: { title: string }) => s.title),
      ['Quiz'],
    );
    assert.equal((await call('GET', `/api/v1/stations/${id}`, owner)).json().nextShowAt, startAt);
  });

  it('reschedules and cancels through REST, with the same rules and the owner check', async () => {
    const owner = uniqueId('creator');
    const id = await createStation(owner);
    const at = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();
    const first = (
      await call('POST', `/api/v1/stations/${id}/shows`, owner, { title: 'A', startAt: at(1), durationMinutes: 60 })
    ).json();
    await call('POST', `/api/v1/stations/${id}/shows`, owner, { title: 'B', startAt: at(3), durationMinutes: 60 });
    const showUrl = `/api/v1/stations/${id}/shows/${first.showId}`;
    assertProblem(await call('PATCH', showUrl, owner, { startAt: at(3.5) }), 409, 'schedule-overlap');
    assertProblem(await call('PATCH', showUrl, 'intruder', { startAt: at(5) }), 403, 'forbidden');
    const moved = await call('PATCH', showUrl, owner, { startAt: at(5), durationMinutes: 30 });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(Date.parse(moved.json().endAt) - Date.parse(moved.json().startAt), 30 * 60_000);
    assertProblem(await call('DELETE', showUrl, 'intruder'), 403, 'forbidden');
    assert.equal((await call('DELETE', showUrl, owner)).json().status, 'cancelled');
    assertProblem(await call('DELETE', `/api/v1/stations/${id}/shows/nope`, owner), 404, 'schedule-not-found');
    // The cancelled show is archived too; one per page, the cursor reaches it.
    const archived = await call('GET', `/api/v1/stations/${id}/shows?limit=1`, owner);
    assert.deepEqual(
      archived.json().items.map((s: { showId: string; status: string }) => [s.showId, s.status]),
      [[first.showId, 'cancelled']],
    );
    assert.equal(archived.json().nextCursor, null);
    const upcoming = (await call('GET', `/api/v1/stations/${id}/schedule`, owner)).json().shows;
    assert.deepEqual(
      upcoming.map((s: { title: string; status: string }) => `${s.title}:${s.status}`),
      ['B:scheduled', 'A:cancelled'],
    );
  });

  it('counts concurrent viewers through REST and folds current, peak and unique into the show when it ends', async () => {
    const owner = uniqueId('creator');
    const id = await createStation(owner);
    const live = await call('POST', `/api/v1/stations/${id}/live`, owner, { title: 'Match', durationMinutes: 90 });
    assert.equal(live.statusCode, 201, live.body);
    const showId = live.json<{ showId: string }>().showId;

    // 12 users on 2 devices each, all at once, and every client's join sent twice.
    const clients = Array.from({ length: 24 }, (_, i) => ({ user: `viewer-${i % 12}`, clientId: `device-${i}` }));
    const join = (c: (typeof clients)[number]) =>
      call('POST', `/api/v1/stations/${id}/viewers/join`, c.user, { clientId: c.clientId });
    const joins = await Promise.all([...clients, ...clients].map(join));
    assert.ok(joins.every((r) => r.statusCode === 200));
    const leave = (c: (typeof clients)[number]) =>
      call('POST', `/api/v1/stations/${id}/viewers/leave`, c.user, { clientId: c.clientId });
    const leaving = clients.slice(0, 10);
    await Promise.all([...leaving, ...leaving].map(leave)); // each leave twice: counts must not go negative
    const beat = await call('POST', `/api/v1/stations/${id}/viewers/heartbeat`, 'viewer-11', { clientId: 'device-23' });
    assert.deepEqual(beat.json(), { showId, current: 14, peak: 24, unique: 12 });
    const gone = await call('POST', `/api/v1/stations/${id}/viewers/heartbeat`, 'viewer-0', { clientId: 'device-0' });
    assertProblem(gone, 409, 'not-watching');

    const onAir = await call('GET', '/api/v1/stations?live=true&limit=100', 'browser');
    const listed = onAir.json().items.find((s: { id: string }) => s.id === id);
    assert.deepEqual(listed?.viewers, { showId, current: 14, peak: 24, unique: 12 });

    // Redis loses its data mid-show: counting restarts for the live show (from Mongo) instead of refusing viewers;
    // the counts so far are lost (they were derived data), the clients still watching count again as they rejoin.
    const keys = [redisKeys.stationLive(id), redisKeys.stationViewers(id), redisKeys.stationUniqueViewers(id)];
    await platform.redis.del(...keys);
    const rejoined = await call('POST', `/api/v1/stations/${id}/viewers/join`, 'viewer-11', { clientId: 'device-23' });
    assert.deepEqual(rejoined.json(), { showId, current: 1, peak: 1, unique: 1 });
    await Promise.all(clients.slice(10).map(join));

    const ended = await call('POST', `/api/v1/stations/${id}/live/end`, owner, {});
    assert.equal(ended.json().status, 'ended');
    const show = await findShow(platform.mongo.db, showId);
    assert.deepEqual(show?.stats, { peakViewers: 14, uniqueViewers: 12, viewersAtEnd: 14 });
    assert.ok(
      (await completedActivityAttempts(platform.temporal, workflowIds.tvStation(id))).some(
        (a) => a.activityType === 'recordFinishedShow' && a.attempt === 2,
      ),
      'the stats above are those of a retried record',
    );
    assertProblem(await join(clients[0]!), 409, 'station-not-live');
    const archive = await call('GET', `/api/v1/stations/${id}/shows`, 'browser');
    assert.deepEqual(
      archive
        .json()
        .items.map((s: { showId: string; status: string; stats: unknown }) => [s.showId, s.status, s.stats]),
      [[showId, 'ended', { peakViewers: 14, uniqueViewers: 12, viewersAtEnd: 14 }]],
    );
    assert.equal((await call('GET', `/api/v1/stations/${id}`, owner)).json().status, 'offline');
  });

  it("notifies each follower of the station's creator exactly once when a show goes live", async () => {
    const owner = uniqueId('creator');
    const id = await createStation(owner);
    const followers = Array.from({ length: 7 }, (_, i) => `fan-${i}-${owner}`);
    const now = new Date();
    const edge = (kind: 'follow' | 'block', from: string, to: string) => ({
      _id: `${kind}:${from}:${to}`,
      from,
      to,
      kind,
      createdAt: now,
    });
    await relationshipsCollection(platform.mongo.db).insertMany([
      ...followers.map((f) => edge('follow', f, owner)),
      edge('block', `blocker-${owner}`, owner),
      edge('follow', followers[0]!, `other-${owner}`),
    ]);
    const live = await call('POST', `/api/v1/stations/${id}/live`, owner, { title: 'Premiere', durationMinutes: 30 });
    const show = live.json<{ showId: string; title: string }>();
    const forShow = { 'data.showId': show.showId };
    const notifications = notificationsCollection(platform.mongo.db);
    // Done when the fan-out activity has completed; its first attempt wrote the notifications and was lost, the
    // retry found them written.
    const attempts = await eventually(
      () => completedActivityAttempts(platform.temporal, workflowIds.tvStation(id)),
      (list) => list.some((a) => a.activityType === 'notifyFollowers'),
      'the fan-out to complete',
    );
    assert.deepEqual(
      attempts.filter((a) => a.activityType === 'notifyFollowers'),
      [{ activityType: 'notifyFollowers', attempt: 2 }],
    );
    assert.equal(await notifications.countDocuments(forShow), followers.length, 'one notification per follower');
    assert.equal(await notifications.countDocuments({ ...forShow, recipient: `blocker-${owner}` }), 0);

    // Each follower sees it once in their paged inbox.
    const inbox = await call('GET', '/api/v1/notifications?limit=1', followers[3]!);
    assert.equal(inbox.statusCode, 200);
    const page = inbox.json<{ items: { kind: string; data: { showId: string } }[]; nextCursor: string | null }>();
    assert.deepEqual(
      page.items.map((n) => [n.kind, n.data.showId]),
      [['show_live', show.showId]],
    );
    assert.equal(page.nextCursor, null);
  });
});
