import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import type { Role } from '../../src/api/principal.js';
import type { ContentItem } from '../../src/api/schemas/content.js';
import type { EventBatchResult } from '../../src/api/schemas/events.js';
import type { InterestProfileView } from '../../src/api/schemas/users.js';
import { markOutboxEntryReady, openOutboxEntry, outboxCollection } from '../../src/store/event-outbox.js';
import { eventsCollection, insertNewEvents } from '../../src/store/events.js';
import { interestProfilesCollection } from '../../src/store/interest-profiles.js';
import { workflowIds } from '../../workflows/ids.js';
import { getProfileQuery } from '../../workflows/user-interest/messages.js';
import { assertProblem } from '../api/support/problem.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';
import { uniqueId } from '../helpers/workflow-env.js';

/**
 * Ingestion through REST on the real services, with the worker and the relay in this process: per-item validation,
 * idempotent resends, ownership, profiles and similar users built from content topics, and a worker outage.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `ingestion-it-${process.pid}`,
  INTEREST_PERSIST_DEBOUNCE_MS: '50',
  RELAY_INTERVAL_MS: '50',
  OUTBOX_STALE_MS: '8000', // ingest requests get a quarter of it (docs/events.md)
  RATE_LIMIT_MAX: '100000',
});

interface Harness {
  app: ApiInstance;
  platform: Platform;
}

/** The API plus the worker side; `worker: false` starts with the worker down (the relay still runs). */
function useHarness(options: { worker: boolean }, harnessConfig = config): Harness {
  const h = {} as Harness;
  before(async () => {
    h.app = buildApp(harnessConfig);
    h.platform = await startPlatform(harnessConfig, options);
  });
  after(async () => {
    await h.app?.close();
    await h.platform?.close();
  });
  return h;
}

const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();

async function post(app: ApiInstance, as: string, events: object[], roles: Role[] = ['user']) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: await bearer(app, as, roles) },
    payload: { events },
  });
}

async function interests(app: ApiInstance, userId: string): Promise<InterestProfileView | null> {
  const res = await app.inject({
    url: `/api/v1/users/${userId}/interests`,
    headers: { authorization: await bearer(app, userId) },
  });
  return res.statusCode === 200 ? res.json<InterestProfileView>() : null;
}

async function publish(app: ApiInstance, title: string, tags: string[]): Promise<ContentItem> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/content',
    headers: { authorization: await bearer(app, uniqueId('creator'), ['creator']) },
    payload: { title, description: title, tags, type: 'video' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<ContentItem>();
}

describe('ingestion through REST (integration)', () => {
  const h = useHarness({ worker: true });

  it('a mixed batch: good items stored, bad ones rejected by index and field path; a resend changes nothing', async () => {
    const user = uniqueId('mixed');
    const item = await publish(h.app, 'Street food tour of Bangkok', ['street-food']);
    const good = (i: number) => ({
      eventId: `${user}-${i}`,
      userId: user,
      type: 'like',
      contentId: item.id,
      occurredAt: at(60),
    });
    const batch = [
      good(0),
      { ...good(1), type: 'teleport' },
      good(2),
      { ...good(3), occurredAt: 'yesterday' },
      { ...good(4), value: -5 },
      good(5),
    ];
    const res = await post(h.app, user, batch);
    assert.equal(res.statusCode, 202, res.body);
    const result = res.json<EventBatchResult>();
    assert.deepEqual(
      result.accepted.map((a) => [a.index, a.duplicate]),
      [
        [0, false],
        [2, false],
        [5, false],
      ],
    );
    assert.deepEqual(
      result.rejected.map((r) => [r.index, r.eventId, r.errors.map((e) => e.path)]),
      [
        [1, `${user}-1`, ['/events/1/type']],
        [3, `${user}-3`, ['/events/3/occurredAt']],
        [4, `${user}-4`, ['/events/4/value']],
      ],
    );

    const applied = await eventually(
      () => interests(h.app, user),
      (p) => p?.appliedEvents === 3,
      'three events applied',
    );
    const topics = applied?.topics.map((t) => t.topic) ?? [];
    assert.ok(topics.includes('street-food'), `the content’s topic is in the profile: ${topics.join(', ')}`);

    const resent = await post(h.app, user, batch);
    assert.equal(resent.statusCode, 202, resent.body);
    assert.ok(resent.json<EventBatchResult>().accepted.every((a) => a.duplicate));
    assert.equal(await eventsCollection(h.platform.mongo.db).countDocuments({ userId: user }), 3);
    // The resend reaches the workflow again (new outbox entry) and is dropped there: wait until the relay has
    // drained it, then the profile must still count 3.
    await eventually(
      () => h.platform.mongo.db.collection('event_outbox').countDocuments({}),
      (n) => n === 0,
      'outbox drained',
    );
    const view = await h.platform.temporal.client.workflow
      .getHandle(workflowIds.userInterest(user))
      .query(getProfileQuery);
    assert.equal(view.duplicatesDropped, 0, 'duplicates are stopped at the events collection, before the outbox');
    assert.equal((await interests(h.app, user))?.appliedEvents, 3);
  });

  it('events of a request that died before marking its outbox entry ready are relayed once the entry is stale', async () => {
    const user = uniqueId('crashed');
    const batchId = uniqueId('batch');
    const db = h.platform.mongo.db;
    // What storeEventBatch had done when the API died: the entry opened, the events stored, no ready copy.
    await openOutboxEntry(db, batchId, new Date());
    const now = new Date();
    await insertNewEvents(
      db,
      [0, 1].map((i) => ({
        _id: `${batchId}-${i}`,
        userId: user,
        type: 'view' as const,
        occurredAt: now,
        receivedAt: now,
        batchId,
      })),
    );
    await eventually(
      () => outboxCollection(db).countDocuments({ _id: batchId }),
      (n) => n === 0,
      'the stale entry relayed and closed',
    );
    // Closed only once its signals went out; the debounced read model then shows both events, once each.
    const applied = await eventually(
      () => interests(h.app, user),
      (p) => p !== null,
      'the profile written',
    );
    assert.equal(applied?.appliedEvents, 2);
  });

  it('a user sending for another user gets 403 and nothing is written', async () => {
    const mallory = uniqueId('mallory');
    const victim = uniqueId('victim');
    const res = await post(h.app, mallory, [
      { eventId: `${mallory}-own`, userId: mallory, type: 'view', occurredAt: at(5) },
      { eventId: `${mallory}-forged`, userId: victim, type: 'like', occurredAt: at(5) },
    ]);
    assertProblem(res, 403, 'forbidden');
    const events = eventsCollection(h.platform.mongo.db);
    assert.equal(await events.countDocuments({ _id: { $in: [`${mallory}-own`, `${mallory}-forged`] } }), 0);

    // A trusted producer may send for anyone.
    const service = await post(
      h.app,
      'ingest-service',
      [{ eventId: `${victim}-svc`, userId: victim, type: 'view', occurredAt: at(5) }],
      ['service'],
    );
    assert.equal(service.statusCode, 202, service.body);
  });

  it('profiles follow content topics; users with similar events find each other, a dissimilar one ranks lower', async () => {
    const baking = await publish(h.app, 'Sourdough baking', ['sourdough', 'baking']);
    const pastry = await publish(h.app, 'Croissant lamination', ['pastry', 'baking']);
    const football = await publish(h.app, 'Champions league highlights', ['football']);
    const [ann, ben, cal] = [uniqueId('ann'), uniqueId('ben'), uniqueId('cal')];
    const events = (user: string, plan: [ContentItem, number][]) =>
      plan.flatMap(([item, n]) =>
        Array.from({ length: n }, (_, i) => ({
          eventId: `${user}-${item.id}-${i}`,
          userId: user,
          type: 'like',
          contentId: item.id,
          occurredAt: at(30),
        })),
      );
    const plans: [string, [ContentItem, number][]][] = [
      [
        ann,
        [
          [baking, 5],
          [pastry, 3],
        ],
      ],
      [
        ben,
        [
          [baking, 4],
          [pastry, 4],
        ],
      ],
      [
        cal,
        [
          [football, 8],
          [baking, 1],
        ],
      ],
    ];
    for (const [user, plan] of plans) {
      const res = await post(h.app, user, events(user, plan));
      assert.equal(res.statusCode, 202, res.body);
    }
    // Wait for every planned event, so the topic order below is that of the whole plan, not of a partial profile.
    const profiles = new Map<string, InterestProfileView | null>();
    for (const [user, plan] of plans) {
      const planned = plan.reduce((sum, [, n]) => sum + n, 0);
      const profile = await eventually(
        () => interests(h.app, user),
        (p) => p?.appliedEvents === planned,
        `${user}'s ${planned} events applied`,
      );
      profiles.set(user, profile);
    }
    const annProfile = profiles.get(ann);
    const annTopics = annProfile?.topics.map((t) => t.topic) ?? [];
    assert.equal(annTopics[0], 'baking', 'the topic of both items ranks first');
    assert.ok(annTopics.includes('sourdough') && annTopics.includes('pastry'), annTopics.join(', '));
    assert.ok(!annTopics.includes('football'));

    const res = await h.app.inject({
      url: `/api/v1/users/${ann}/similar?limit=100`,
      headers: { authorization: await bearer(h.app, ann) },
    });
    assert.equal(res.statusCode, 200, res.body);
    const similar = res.json<{ items: { userId: string; similarity: number; sharedTopics: string[] }[] }>().items;
    const rank = (u: string) => similar.findIndex((s) => s.userId === u);
    assert.ok(rank(ben) >= 0 && rank(cal) >= 0, JSON.stringify(similar));
    assert.ok(rank(ben) < rank(cal), 'ben (same tastes) ranks above cal (football fan)');
    assert.ok(similar[rank(ben)]!.similarity > 0.9);
    assert.ok(similar[rank(ben)]!.sharedTopics.includes('baking'));

    const nosy = await h.app.inject({
      url: `/api/v1/users/${ann}/similar`,
      headers: { authorization: await bearer(h.app, ben) },
    });
    assertProblem(nosy, 403, 'forbidden');
    const operator = await h.app.inject({
      url: `/api/v1/users/${ann}/similar`,
      headers: { authorization: await bearer(h.app, 'ops', ['operator']) },
    });
    assert.equal(operator.statusCode, 200, operator.body);
  });
});

describe('worker outage (integration, fault)', () => {
  const h = useHarness({ worker: false });
  const USERS = 100;
  const PER_USER = 100;
  const BATCH = 1_000;

  it(`${USERS * PER_USER} events posted while no worker runs are all applied exactly once after it starts`, async () => {
    const users = Array.from({ length: USERS }, () => uniqueId('outage'));
    // Interleaved, so every batch carries events of every user (the relay groups them back per user).
    const all = Array.from({ length: USERS * PER_USER }, (_, i) => {
      const user = users[i % USERS]!;
      return { eventId: `${user}-${Math.floor(i / USERS)}`, userId: user, type: 'view', occurredAt: at(120) };
    });
    for (let i = 0; i < all.length; i += BATCH) {
      const res = await post(h.app, 'ingest-service', all.slice(i, i + BATCH), ['service']);
      assert.equal(res.statusCode, 202, res.body);
      assert.equal(res.json<EventBatchResult>().accepted.length, BATCH);
    }
    const profiles = interestProfilesCollection(h.platform.mongo.db);
    assert.equal(await profiles.countDocuments({ _id: { $in: users } }), 0, 'nothing applied without a worker');

    await h.platform.startWorker();
    // Done when nothing is left to relay and the read models hold at least every event; the exact per-user counts
    // are then read again, so a double count (more than PER_USER for someone) fails below.
    await eventually(
      async () => ({
        outbox: await outboxCollection(h.platform.mongo.db).countDocuments({}),
        applied: (await profiles.find({ _id: { $in: users } }).toArray()).reduce((sum, d) => sum + d.appliedEvents, 0),
      }),
      (state) => state.outbox === 0 && state.applied >= USERS * PER_USER,
      'all events relayed and applied',
      1_800,
    );
    const applied = await profiles.find({ _id: { $in: users } }, { projection: { appliedEvents: 1 } }).toArray();
    assert.deepEqual(
      Object.fromEntries(applied.map((d) => [d._id, d.appliedEvents])),
      Object.fromEntries(users.map((u) => [u, PER_USER])),
    );
    assert.equal(
      await eventsCollection(h.platform.mongo.db).countDocuments({ userId: { $in: users } }),
      USERS * PER_USER,
    );
  });
});

describe('redelivery after the workflow completed (integration, fault)', () => {
  const h = useHarness(
    { worker: true },
    testConfig(import.meta.filename, {
      TEMPORAL_TASK_QUEUE: `ingestion-idle-it-${process.pid}`,
      INTEREST_PERSIST_DEBOUNCE_MS: '50',
      INTEREST_IDLE_DAYS: String(2 / 86_400), // 2 seconds
      RELAY_INTERVAL_MS: '50',
      RATE_LIMIT_MAX: '100000',
    }),
  );

  it("an outbox entry relayed again after the user's workflow went idle and completed is not applied twice", async () => {
    const user = uniqueId('redelivered');
    const res = await post(
      h.app,
      user,
      [0, 1, 2].map((i) => ({ eventId: `${user}-${i}`, userId: user, type: 'like', occurredAt: at(60) })),
    );
    assert.equal(res.statusCode, 202, res.body);
    const handle = h.platform.temporal.client.workflow.getHandle(workflowIds.userInterest(user));
    const firstRun = await eventually(
      () => handle.describe().catch(() => null), // not found until the relay's first signal
      (d) => d?.status.name === 'COMPLETED',
      'the first run to complete when idle',
    );

    // A relay that signalled these events, died before closing their entry and came back after the run completed.
    const db = h.platform.mongo.db;
    const stored = await eventsCollection(db).find({ userId: user }).toArray();
    const batchId = uniqueId('redelivery');
    await openOutboxEntry(db, batchId, new Date());
    await markOutboxEntryReady(db, batchId, stored);

    const secondRun = await eventually(
      async () => {
        const d = await handle.describe();
        return d.runId === firstRun?.runId ? null : await handle.query(getProfileQuery);
      },
      (view) => view !== null && view.duplicatesDropped + view.runEvents >= stored.length,
      'a second run to receive the redelivered events',
    );
    assert.deepEqual(
      { applied: secondRun?.profile.appliedEvents, dropped: secondRun?.duplicatesDropped },
      { applied: 3, dropped: 3 },
    );
    assert.equal((await interests(h.app, user))?.appliedEvents, 3);
  });
});
