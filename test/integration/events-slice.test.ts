import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { outboxCollection } from '../../src/store/event-outbox.js';
import { eventsCollection } from '../../src/store/events.js';
import { interestProfilesCollection } from '../../src/store/interest-profiles.js';
import { contentCollection } from '../../src/store/content.js';
import { workflowIds } from '../../workflows/ids.js';
import { getProfileQuery } from '../../workflows/user-interest/messages.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';

/**
 * The vertical slice end to end on the real services: POST /events → Mongo (events + outbox) → relay →
 * user-interest workflow (signal-with-start) → activity → interest_profiles read model → GET interests.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `events-slice-${process.pid}`,
  INTEREST_PERSIST_DEBOUNCE_MS: '50',
  RELAY_INTERVAL_MS: '50',
});

describe('event ingestion vertical slice (integration)', () => {
  let app: ApiInstance;
  let platform: Platform;
  const user = `alice-${process.pid}`;
  const now = new Date().toISOString();
  const event = (i: number, type = 'like') => ({
    eventId: `${user}-e${i}`,
    userId: user,
    type,
    contentId: 'c-cooking',
    occurredAt: now,
  });

  before(async () => {
    app = buildApp(config);
    platform = await startPlatform(config);
    await contentCollection(platform.mongo.db).insertOne({
      _id: 'c-cooking',
      creatorId: 'chef',
      title: 'Pasta',
      description: 'Fresh pasta at home',
      tags: ['cooking'],
      type: 'video',
      topics: ['cooking', 'pasta'],
      createdAt: new Date(),
    });
  });
  after(async () => {
    await app?.close();
    await platform?.close();
  });

  it('stores good items, rejects bad ones by index and field, and builds the profile once', async () => {
    const auth = await bearer(app, user);
    const batch = { events: [event(1), event(2, 'share'), event(3, 'view'), { ...event(4), type: 'teleport' }] };
    const first = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: auth },
      payload: batch,
    });
    assert.equal(first.statusCode, 202, first.body);
    const body = first.json();
    assert.deepEqual(
      body.accepted.map((a: { index: number; duplicate: boolean }) => [a.index, a.duplicate]),
      [
        [0, false],
        [1, false],
        [2, false],
      ],
    );
    assert.equal(body.rejected.length, 1);
    assert.equal(body.rejected[0].index, 3);
    assert.equal(body.rejected[0].errors[0].path, '/events/3/type');

    // The same eventIds again: stored once, reported as duplicates, never applied twice.
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: auth },
      payload: batch,
    });
    assert.equal(again.statusCode, 202);
    assert.ok(again.json().accepted.every((a: { duplicate: boolean }) => a.duplicate));
    assert.equal(await eventsCollection(platform.mongo.db).countDocuments({ userId: user }), 3);

    const profile = await eventually(
      async () =>
        (await app.inject({ url: `/api/v1/users/${user}/interests`, headers: { authorization: auth } })).json(),
      (p) => p.appliedEvents === 3,
      'the read model reaching 3 applied events',
    );
    assert.equal(profile.topics[0].topic, 'cooking');
    assert.ok(profile.contentTypes.video > 0);

    const doc = await interestProfilesCollection(platform.mongo.db).findOne({ _id: user });
    assert.ok(doc?.topTopics.includes('cooking'), 'the read model is in Mongo');

    // Once the outbox is empty every signal these events will ever cause has been sent, and a query sees every
    // signal delivered before it: a late double delivery would be counted by now.
    await eventually(
      () => outboxCollection(platform.mongo.db).countDocuments({}),
      (n) => n === 0,
      'the outbox drained',
    );
    const view = await platform.temporal.client.workflow
      .getHandle(workflowIds.userInterest(user))
      .query(getProfileQuery);
    assert.equal(view.profile.appliedEvents, 3);
  });

  it('refuses events for another user (403) and a wholly bad batch (422), writing nothing', async () => {
    const auth = await bearer(app, user);
    const before = await eventsCollection(platform.mongo.db).estimatedDocumentCount();
    const foreign = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: auth },
      payload: { events: [event(10), { ...event(11), userId: 'mallory' }] },
    });
    assert.equal(foreign.statusCode, 403);
    assert.match(foreign.headers['content-type'] as string, /application\/problem\+json/);

    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: auth },
      payload: { events: [{ eventId: 'x' }] },
    });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.json().errors.some((e: { path: string }) => e.path === '/events/0/userId'));
    assert.equal(await eventsCollection(platform.mongo.db).estimatedDocumentCount(), before);
  });

  it('lets an operator (or a trusted service) send events for anyone', async () => {
    const auth = await bearer(app, 'ops', ['operator']);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: auth },
      payload: { events: [{ ...event(20), userId: `bob-${process.pid}`, eventId: `bob-${process.pid}-1` }] },
    });
    assert.equal(res.statusCode, 202);
    assert.equal(res.json().accepted.length, 1);
  });
});

describe('bad requests to POST /events write nothing (integration)', () => {
  const limited = testConfig(import.meta.filename, {
    TEMPORAL_TASK_QUEUE: `events-slice-bad-${process.pid}`,
    RATE_LIMIT_MAX: '3',
    BODY_LIMIT_BYTES: '2048',
  });
  let app: ApiInstance;
  let platform: Platform;

  before(async () => {
    app = buildApp(limited);
    platform = await startPlatform(limited, { worker: false });
  });
  after(async () => {
    await app?.close();
    await platform?.close();
  });

  it('answers 401, 400, 413 and 429 as problem+json and stores no event', async () => {
    const events = eventsCollection(platform.mongo.db);
    const before = await events.estimatedDocumentCount();
    const user = `carol-${process.pid}`;
    const auth = await bearer(app, user);
    const one = (i: number) => ({
      eventId: `${user}-${i}`,
      userId: user,
      type: 'view',
      occurredAt: new Date().toISOString(),
    });
    const post = (headers: Record<string, string>, payload: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { 'content-type': 'application/json', ...headers },
        payload,
      });

    const statuses = [
      (await post({}, JSON.stringify({ events: [one(1)] }))).statusCode,
      (await post({ authorization: 'Bearer not-a-token' }, JSON.stringify({ events: [one(2)] }))).statusCode,
      (await post({ authorization: auth }, '{"events": [')).statusCode,
      (
        await post(
          { authorization: auth },
          JSON.stringify({ events: Array.from({ length: 40 }, (_, i) => one(100 + i)) }),
        )
      ).statusCode,
    ];
    assert.deepEqual(statuses, [401, 401, 400, 413]);

    assert.equal(await events.estimatedDocumentCount(), before, 'rejected requests stored nothing');

    // The limiter runs after authentication and validation, so it counts a user's well-formed requests: three are
    // stored, the fourth is refused with 429 and stores nothing.
    for (let i = 0; i < 3; i++) {
      assert.equal((await post({ authorization: auth }, JSON.stringify({ events: [one(10 + i)] }))).statusCode, 202);
    }
    const limitedRes = await post({ authorization: auth }, JSON.stringify({ events: [one(20)] }));
    assert.equal(limitedRes.statusCode, 429);
    assert.ok(Number(limitedRes.headers['retry-after']) > 0, 'Retry-After names the wait');
    assert.match(limitedRes.headers['content-type'] as string, /application\/problem\+json/);
    assert.equal(await events.countDocuments({ _id: `${user}-20` }), 0);
    assert.equal(await events.estimatedDocumentCount(), before + 3);
  });
});
