import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { emptyCounters } from '../../src/domain/creator-score.js';
import type { EngagementType } from '../../src/domain/engagement.js';
import { connectTemporal, type TemporalClient } from '../../src/temporal/client.js';
import { relayOnce, type RelayDeps } from '../../src/ingestion/event-relay.js';
import { createPowerstreamWorker } from '../../src/worker/workers.js';
import { workflowIds } from '../../workflows/ids.js';
import { insertCreatorSnapshot, creatorSnapshotsCollection } from '../../src/store/creator-snapshots.js';
import { markOutboxEntryReady, openOutboxEntry } from '../../src/store/event-outbox.js';
import { contentCollection } from '../../src/store/content.js';
import { eventsCollection } from '../../src/store/events.js';
import { createIdentity } from '../../src/api/routes/identities/handle-claims.js';
import { ensureLeaderboards } from '../../src/store/leaderboards.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../../src/store/mongo.js';
import { createRedis } from '../../src/store/redis.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { assertProblem } from '../api/support/problem.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import type { Role } from '../../src/api/principal.js';
import { eventually } from '../helpers/platform.js';
import { bundleWorkflows, uniqueId } from '../helpers/workflow-env.js';
import { createCreatorActivities } from '../../activities/creator.js';
import { loadCreatorStats } from '../../src/store/creator-stats.js';

/**
 * Creator stats end to end on the real services: events posted to POST /api/v1/events and relayed in-process, the
 * creator-stats workflow on an in-process worker, the read API, the leaderboards and the social graph.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `creator-stats-it-${process.pid}`,
  CREATOR_PERSIST_DEBOUNCE_MS: '50',
  INTEREST_PERSIST_DEBOUNCE_MS: '50',
  RATE_LIMIT_MAX: '10000',
});

describe('creator stats, leaderboards and the social graph (integration)', () => {
  let app: ApiInstance;
  let mongo: MongoStore;
  let temporal: TemporalClient;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  const redis = createRedis(config);
  const creators: string[] = [];

  before(async () => {
    app = buildApp(config);
    mongo = await connectMongo(config);
    await ensureIndexes(mongo.db);
    temporal = await connectTemporal(config);
    connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    worker = await createPowerstreamWorker({
      config,
      connection,
      deps: { db: mongo.db, redis },
      workflowBundle: await bundleWorkflows(),
    });
    running = worker.run();
    await app.ready();
  });
  after(async () => {
    await Promise.all(
      creators.map((id) =>
        temporal.client.workflow
          .getHandle(workflowIds.creatorStats(id))
          .terminate('test finished')
          .catch(() => undefined),
      ),
    );
    worker?.shutdown();
    await running;
    await app?.close();
    await Promise.allSettled([connection.close(), temporal.connection.close(), mongo.client.close(), redis.quit()]);
  });

  const relayDeps = (): RelayDeps => ({
    db: mongo.db,
    temporal: temporal.client,
    config,
    logger: pino({ level: 'silent' }),
  });

  type EventInput = { userId: string; type: EngagementType; creatorId?: string; value?: number };
  type PostedEvent = EventInput & { eventId: string; occurredAt: string };

  /** One catalog item per creator: events credit the catalog's creator of their contentId (docs/events.md). */
  const itemOf = (creatorId: string) => `item-of-${creatorId}`;
  async function publishItem(creatorId: string): Promise<void> {
    await contentCollection(mongo.db).updateOne(
      { _id: itemOf(creatorId) },
      { $setOnInsert: { creatorId, title: 'clip', description: '', tags: [], type: 'video', topics: [], createdAt: new Date() } }, // prettier-ignore
      { upsert: true },
    );
  }

  /** Posts a batch through the ingestion API as a trusted producer, then drains the outbox with the relay. */
  async function ingest(events: (EventInput | PostedEvent)[]): Promise<PostedEvent[]> {
    const batch = uniqueId('b');
    const occurredAt = new Date().toISOString();
    for (const creatorId of new Set(events.flatMap((e) => (e.creatorId ? [e.creatorId] : []))))
      await publishItem(creatorId);
    const posted = events.map((e, i) =>
      'eventId' in e
        ? e
        : { ...e, ...(e.creatorId ? { contentId: itemOf(e.creatorId) } : {}), eventId: `${batch}-${i}`, occurredAt },
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: await bearer(app, 'producer', ['service']) },
      payload: { events: posted },
    });
    assert.equal(res.statusCode, 202, res.body);
    assert.deepEqual(res.json<{ rejected: unknown[] }>().rejected, []);
    while ((await relayOnce(relayDeps())) > 0);
    return posted;
  }

  const many = (n: number, e: EventInput) => Array.from({ length: n }, () => e);
  /** Likes and shares count once per user and item, so n of them come from n users. */
  const fromMany = (n: number, e: EventInput) =>
    Array.from({ length: n }, (_, i) => ({ ...e, userId: `${e.userId}-${i}` }));

  async function get(path: string, as = 'reader') {
    return app.inject({ method: 'GET', url: `/api/v1${path}`, headers: { authorization: await bearer(app, as) } });
  }

  /** A board; daily and weekly ones of `day`, the UTC day the test counted its views in, not of the clock's today. */
  async function board(name: string, day?: string) {
    const res = await get(`/leaderboards/${name}?limit=100${day ? `&day=${day}` : ''}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ items: { rank: number; creatorId: string; value: number }[] }>().items;
  }
  const ours = <T extends { creatorId: string }>(items: T[]) => items.filter((i) => creators.includes(i.creatorId));

  it('events move the creator stats and leaderboard ranks; FLUSHALL then rebuild gives the same boards', async () => {
    const star = uniqueId('star');
    const small = uniqueId('small');
    creators.push(star, small);
    const firstBatch = await ingest([
      ...many(200, { userId: 'fan1', type: 'view', creatorId: star }),
      ...fromMany(60, { userId: 'fan1', type: 'like', creatorId: star }),
      ...fromMany(10, { userId: 'fan2', type: 'share', creatorId: star }),
      { userId: 'fan2', type: 'tip', creatorId: star, value: 5 },
      { userId: 'fan2', type: 'like', creatorId: star },
      { userId: 'fan2', type: 'watch_time', creatorId: star, value: 90 },
      { userId: 'fan2', type: 'skip', creatorId: star },
      ...many(50, { userId: 'fan3', type: 'view', creatorId: small }),
      { userId: 'fan3', type: 'like', creatorId: small },
    ]);

    const stats = await eventually(
      async () =>
        (await get(`/creators/${star}/stats`)).json<{ totals?: { views: number }; today?: { day: string } }>(),
      (s) => s.totals?.views === 200,
      'star stats published',
    );
    // The day the workflow counted the views in: the daily boards below are read for it, so a run that crosses
    // midnight does not read the next day's empty board.
    const day = stats.today?.day ?? '';
    assert.match(day, /^\d{4}-\d{2}-\d{2}$/);
    assert.deepEqual(stats.totals, {
      ...emptyCounters(),
      views: 200,
      likes: 61,
      shares: 10,
      watchTimeSeconds: 90,
    });

    const byScore = await eventually(
      () => board('score'),
      (b) => ours(b).length === 2,
      'both creators on the score board',
    );
    assert.deepEqual(
      ours(byScore).map((e) => e.creatorId),
      [star, small],
      'star outranks small',
    );
    // Paging: the cursor continues where the page ended, ranks count from the top of the board.
    const page1 = (await get('/leaderboards/score?limit=1')).json<{ items: { rank: number }[]; nextCursor: string }>();
    assert.deepEqual(page1.items, [byScore[0]]);
    const page2 = (await get(`/leaderboards/score?limit=1&cursor=${page1.nextCursor}`)).json<{ items: unknown[] }>();
    assert.deepEqual(page2.items, [byScore[1]]);
    assertProblem(await get('/leaderboards/nope'), 400, 'invalid-request');
    assertProblem(await get('/leaderboards/score?limit=101'), 400, 'invalid-request');
    const byViews = ours(await board('views-daily', day));
    assert.deepEqual(
      byViews.map((e) => [e.creatorId, e.value]),
      [
        [star, 200],
        [small, 50],
      ],
    );

    // The same batch posted again (a client retry) plus one new view: only the new view counts.
    await ingest([...firstBatch, { userId: 'fan1', type: 'view', creatorId: star }]);
    await eventually(
      async () => (await get(`/creators/${star}/stats`)).json<{ totals?: { views: number } }>(),
      (s) => s.totals?.views !== 200,
      'the new view counted',
    ).then((s) => assert.equal(s.totals?.views, 201, 'resent events were not counted again'));

    // A second batch for the small creator moves it past the star on daily views.
    await ingest(many(300, { userId: 'fan4', type: 'view', creatorId: small }));
    const moved = await eventually(
      async () => ours(await board('views-daily', day)),
      (b) => b[0]?.creatorId === small,
      'small creator first on daily views',
    );
    assert.deepEqual(
      moved.map((e) => e.value),
      [350, 201],
    );

    const before = {
      score: await board('score'),
      views: await board('views-daily', day),
      weekly: await board('views-weekly', day),
    };
    const tier = (await get(`/creators/${star}/stats`)).json<{ tier: string }>().tier;
    const tierBefore = await board(`score-${tier}`);
    await redis.flushall();
    assert.equal(await redis.exists(redisKeys.leaderboard('score')), 0, 'boards gone with Redis');
    // A reader finds the hot caches incomplete and rebuilds the missing boards before answering.
    assert.deepEqual(await board('score'), before.score);
    await redis.flushall();

    const operator = await bearer(app, 'ops', ['operator']);
    const userRebuild = await app.inject({
      method: 'POST',
      url: '/api/v1/leaderboards/rebuild',
      headers: { authorization: await bearer(app, 'reader') },
    });
    assertProblem(userRebuild, 403, 'forbidden');
    const rebuilt = await app.inject({
      method: 'POST',
      url: '/api/v1/leaderboards/rebuild',
      headers: { authorization: operator },
    });
    assert.equal(rebuilt.statusCode, 200, rebuilt.body);
    assert.ok(rebuilt.json<{ creators: number }>().creators >= 2);
    assert.deepEqual(
      { score: await board('score'), views: await board('views-daily', day), weekly: await board('views-weekly', day) },
      before,
    );
    assert.deepEqual(await board(`score-${tier}`), tierBefore);

    // The worker's start-up check does the same when it finds no boards, and nothing when they are there.
    await redis.flushall();
    assert.deepEqual(await ensureLeaderboards(mongo.db, redis, Date.now()), { rebuilt: true });
    assert.deepEqual(await board('score'), before.score);
    assert.deepEqual(await ensureLeaderboards(mongo.db, redis, Date.now()), { rebuilt: false });
  });

  it('a retried snapshot write keeps one document per creator and day, served by the snapshots API', async () => {
    const creatorId = uniqueId('snap');
    const snapshot = {
      day: '2026-01-05',
      counters: { ...emptyCounters(), views: 7 },
      totals: { ...emptyCounters(), views: 70 },
      followers: 3,
      score: 12.5,
      tier: 'bronze' as const,
    };
    assert.equal(await insertCreatorSnapshot(mongo.db, creatorId, snapshot, new Date()), true);
    assert.equal(
      await insertCreatorSnapshot(mongo.db, creatorId, { ...snapshot, counters: emptyCounters() }, new Date()),
      false,
    );
    assert.equal(await creatorSnapshotsCollection(mongo.db).countDocuments({ creatorId }), 1);

    const res = await get(`/creators/${creatorId}/snapshots?from=2026-01-01&to=2026-01-31`);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { items: [{ ...snapshot }], nextCursor: null });
    assertProblem(
      await get(`/creators/${creatorId}/snapshots?from=2026-02-01&to=2026-01-01`),
      422,
      'validation-failed',
    );
    // Not a calendar day: refused by the schema's date format before the route runs.
    assertProblem(await get(`/creators/${creatorId}/snapshots?from=2026-02-30`), 400, 'invalid-request');
    assertProblem(
      await get(`/creators/${creatorId}/snapshots?from=2024-01-01&to=2026-01-01`),
      422,
      'validation-failed',
    );
    assertProblem(await get(`/creators/nobody-${creatorId}/stats`), 404, 'not-found');

    // Pages within the range, oldest first; days outside the range are left out.
    for (const day of ['2026-01-03', '2026-01-04', '2026-01-06', '2026-02-01']) {
      await insertCreatorSnapshot(mongo.db, creatorId, { ...snapshot, day }, new Date());
    }
    const days: string[] = [];
    let cursor = '';
    do {
      const page = await get(`/creators/${creatorId}/snapshots?from=2026-01-04&to=2026-01-31&limit=2${cursor}`);
      const body = page.json<{ items: { day: string }[]; nextCursor: string | null }>();
      days.push(...body.items.map((i) => i.day));
      cursor = body.nextCursor ? `&cursor=${body.nextCursor}` : '';
    } while (cursor && days.length < 10);
    assert.deepEqual(days, ['2026-01-04', '2026-01-05', '2026-01-06']);
  });

  it('follow and block rules, paged follower lists, 403 when acting for another user, follower counts', async () => {
    const creator = uniqueId('cr');
    const [ann, bob, cid] = [uniqueId('ann'), uniqueId('bob'), uniqueId('cid')];
    creators.push(creator, ann);
    // Follows reach existing accounts only.
    for (const id of [creator, ann]) await createIdentity(mongo.db, id, id.replaceAll('-', '_'), {}, new Date());
    const send = async (method: 'POST' | 'DELETE', path: string, as: string, roles: Role[] = ['user']) =>
      app.inject({ method, url: `/api/v1${path}`, headers: { authorization: await bearer(app, as, roles) } });
    const followers = async (id: string, query = '') =>
      (await get(`/users/${id}/followers${query}`)).json<{ items: { userId: string }[]; nextCursor: string | null }>();

    assertProblem(await send('POST', `/users/${ann}/follow`, ann), 422, 'validation-failed');
    const first = await send('POST', `/users/${creator}/follow`, ann);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json<{ followerId: string }>().followerId, ann);
    assert.equal((await send('POST', `/users/${creator}/follow`, ann)).statusCode, 200, 'a repeat is not a new follow');
    assert.equal((await send('POST', `/users/${creator}/follow`, bob)).statusCode, 201);
    // Acting for someone else needs the operator or service role, and changes nothing.
    assertProblem(await send('POST', `/users/${creator}/follow?actorId=${cid}`, bob), 403, 'forbidden');
    assertProblem(await send('DELETE', `/users/${creator}/follow?actorId=${ann}`, bob), 403, 'forbidden');
    assertProblem(await send('POST', `/users/${creator}/block?actorId=${creator}`, bob), 403, 'forbidden');
    assert.equal((await send('POST', `/users/${creator}/follow?actorId=${cid}`, 'ops', ['operator'])).statusCode, 201);

    const page1 = await followers(creator, '?limit=2');
    assert.equal(page1.items.length, 2);
    assert.ok(page1.nextCursor);
    const page2 = await followers(creator, `?limit=2&cursor=${page1.nextCursor}`);
    assert.deepEqual(
      [...page1.items, ...page2.items].map((i) => i.userId),
      [ann, bob, cid].sort(),
    );
    assert.equal(page2.nextCursor, null);
    assertProblem(await get(`/users/${creator}/followers?cursor=bm9wZQ`), 422, 'validation-failed');

    // Three follows, the repeated one counted once.
    await eventually(
      async () => (await get(`/creators/${creator}/stats`)).json<{ followers?: number }>(),
      (s) => s.followers === 3,
      'three followers counted',
    );

    // The creator follows ann back, then blocks ann: follows are gone both ways and ann cannot follow again.
    assert.equal((await send('POST', `/users/${ann}/follow`, creator)).statusCode, 201);
    assert.equal((await send('POST', `/users/${ann}/block`, creator)).statusCode, 201);
    assert.deepEqual(
      (await followers(creator)).items.map((i) => i.userId),
      [bob, cid].sort(),
    );
    assert.deepEqual((await followers(ann)).items, []);
    assertProblem(await send('POST', `/users/${creator}/follow`, ann), 403, 'forbidden');
    assertProblem(await send('POST', `/users/${ann}/follow`, creator), 403, 'forbidden');
    const following = (await get(`/users/${bob}/following`)).json<{ items: { userId: string }[] }>();
    assert.deepEqual(
      following.items.map((i) => i.userId),
      [creator],
    );

    await eventually(
      async () =>
        (await get(`/creators/${creator}/stats`)).json<{ followers?: number; totals?: { followersLost: number } }>(),
      (s) => s.followers === 2 && s.totals?.followersLost === 1,
      'the blocked follower removed from the count',
    );

    assert.equal((await send('DELETE', `/users/${ann}/block`, creator)).statusCode, 204);
    assert.equal((await send('DELETE', `/users/${ann}/block`, creator)).statusCode, 204, 'unblock is idempotent');
    assert.equal((await send('POST', `/users/${creator}/follow`, ann)).statusCode, 201, 'a refollow after unblock');
    assert.equal((await send('DELETE', `/users/${creator}/follow`, bob)).statusCode, 204);
    await eventually(
      async () => (await get(`/creators/${creator}/stats`)).json<{ followers?: number }>(),
      (s) => s.followers === 2,
      'refollow counted, unfollow subtracted',
    );
  });

  it('a late publish of an older revision (a slow retried activity) changes neither the stats nor the boards', async () => {
    const creatorId = uniqueId('stale');
    creators.push(creatorId);
    const views = async () =>
      (await get(`/creators/${creatorId}/stats`)).json<{ totals?: { views: number }; today?: { day: string } }>();
    await ingest(many(4, { userId: 'fan6', type: 'view', creatorId }));
    await eventually(views, (s) => s.totals?.views === 4, 'four views published');
    const older = await loadCreatorStats(mongo.db, creatorId);
    assert.ok(older);

    await ingest([{ userId: 'fan6', type: 'view', creatorId }]);
    const current = await eventually(views, (s) => s.totals?.views !== 4, 'the fifth view published');
    const newer = await loadCreatorStats(mongo.db, creatorId);
    assert.ok(newer && newer.revision > older.revision, 'a newer revision is stored');

    // The four-view write arrives now, as a retried publish whose first attempt was slow would.
    const { publishCreatorStats } = createCreatorActivities({ db: mongo.db, redis, config });
    await publishCreatorStats({ creatorId, stats: older.stats, revision: older.revision });
    assert.equal((await views()).totals?.views, 5, 'the stats keep the newer count');
    assert.equal((await loadCreatorStats(mongo.db, creatorId))?.revision, newer.revision);
    const daily = ours(await board('views-daily', current.today?.day)).find((e) => e.creatorId === creatorId);
    assert.equal(daily?.value, 5, 'the board keeps the newer count');
  });

  it('a relay round re-sent after a crash (signalled, outbox entry not closed) is counted once', async () => {
    const creatorId = uniqueId('relay');
    creators.push(creatorId);
    await ingest(many(4, { userId: 'fan5', type: 'view', creatorId }));
    await eventually(
      async () => (await get(`/creators/${creatorId}/stats`)).json<{ totals?: { views: number } }>(),
      (s) => s.totals?.views === 4,
      'first round applied',
    );
    // The relay died after its signals: its outbox entry is still there, so the next round sends the batch again,
    // here together with a new batch in the same signal.
    const [event] = await eventsCollection(mongo.db).find({ creatorId }).limit(1).toArray();
    assert.ok(event);
    await openOutboxEntry(mongo.db, event.batchId, new Date());
    await markOutboxEntryReady(mongo.db, event.batchId);
    await ingest([{ userId: 'fan5', type: 'view', creatorId }]);
    const after = await eventually(
      async () => (await get(`/creators/${creatorId}/stats`)).json<{ totals?: { views: number } }>(),
      (s) => s.totals?.views !== 4,
      'second round applied',
    );
    assert.equal(after.totals?.views, 5);
  });
});
