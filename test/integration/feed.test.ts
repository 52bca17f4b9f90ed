import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import type { ContentType } from '../../src/domain/engagement.js';
import { contentCollection, type ContentDoc } from '../../src/store/content.js';
import { addRelationship } from '../../src/store/relationships.js';
import type { MongoStore } from '../../src/store/mongo.js';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createRankingWorker } from '../../src/worker/workers.js';
import { ensureBatchScoringSchedule } from '../../src/workflow-clients/schedules.js';
import { emptyProfile } from '../../src/domain/interest-profile.js';
import {
  interestProfilesCollection,
  loadInterestProfile,
  saveInterestProfile,
} from '../../src/store/interest-profiles.js';
import { createBatchScorer } from '../../src/ranking/batch.js';
import { eventsCollection } from '../../src/store/events.js';
import { graphSignals, loadCandidatePools, loadRunGraph, poolCandidates } from '../../src/ranking/candidate-pools.js';
import { candidatesFromStore, DEFAULT_CANDIDATE_LIMITS } from '../../src/ranking/candidates.js';
import { readFeed } from '../../src/store/feeds.js';
import { rebuildHotCaches } from '../../src/cache/rebuild.js';
import { cacheEdge } from '../../src/cache/user-signals.js';
import { scoringRunsCollection } from '../../src/store/scoring-runs.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';

/**
 * GET /api/v1/feed on the real services: online ranking when nothing is precomputed, blocked creators out on every
 * page, and the rule-based fallback serving (flagged and counted) when the model file is missing.
 */
const env = {
  TEMPORAL_TASK_QUEUE: `feed-${process.pid}`,
  TEMPORAL_RANKING_TASK_QUEUE: `feed-ranking-${process.pid}`,
};
const config = testConfig(import.meta.filename, {
  ...env,
  INTEREST_PERSIST_DEBOUNCE_MS: '50',
  RELAY_INTERVAL_MS: '50',
  FEED_REFRESH_MIN_INTERVAL_MS: '0',
  // Not the default: other files' worker processes create `batch-scoring` on the same Temporal server.
  BATCH_SCORING_SCHEDULE_ID: `feed-test-scoring-${process.pid}`,
});
const TOPICS = ['cooking', 'jazz', 'chess', 'hiking'] as const;
const CREATORS = ['chef', 'musician', 'player', 'walker', 'spammer'] as const;

function catalog(nowMs: number): ContentDoc[] {
  return Array.from({ length: 60 }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length] as string;
    return {
      _id: `item-${i}`,
      creatorId: CREATORS[i % CREATORS.length] as string,
      title: `${topic} ${i}`,
      description: '',
      tags: [topic],
      type: (['video', 'short'] as ContentType[])[i % 2] as ContentType,
      topics: [topic],
      createdAt: new Date(nowMs - i * 3_600_000),
    };
  });
}

interface Page {
  items: Array<{ contentId: string; creatorId: string; score: number }>;
  nextCursor: string | null;
  ranker: string;
  source: string;
}

async function wholeFeed(app: ApiInstance, auth: string): Promise<{ pages: Page[]; headers: string[] }> {
  const pages: Page[] = [];
  const headers: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `?limit=25&cursor=${cursor}` : '?limit=25';
    const res = await app.inject({ url: `/api/v1/feed${query}`, headers: { authorization: auth } });
    assert.equal(res.statusCode, 200, res.body);
    headers.push(String(res.headers['x-ranker']));
    const page = res.json<Page>();
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 20);
  return { pages, headers };
}

describe('GET /api/v1/feed (integration)', () => {
  let app: ApiInstance;
  let mongo: MongoStore;
  let platform: Platform;
  let connection: NativeConnection;
  let ranking: { worker: Worker; done: Promise<void> };

  before(async () => {
    app = buildApp(config);
    platform = await startPlatform(config);
    mongo = platform.mongo;
    await contentCollection(mongo.db).insertMany(catalog(Date.now()));
    // Written beside the API, so the hot cache is built from the store before the first request.
    await rebuildHotCaches(mongo.db, platform.redis, Date.now());
    connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    const worker = await createRankingWorker({ config, connection, deps: { db: mongo.db, redis: platform.redis } });
    ranking = { worker, done: worker.run() };
  });
  after(async () => {
    await app?.close();
    ranking?.worker.shutdown();
    await ranking?.done;
    await connection?.close();
    await platform?.close();
  });

  /** An edge as the social graph stores it: in MongoDB and in the hot cache the feed reads. */
  async function addEdge(kind: 'follow' | 'block', from: string, to: string): Promise<void> {
    await addRelationship(mongo.db, kind, from, to, new Date());
    await cacheEdge(platform.redis, kind, from, to, true);
  }

  it('ranks online with the model, stores the feed, and pages it from Redis', async () => {
    const auth = await bearer(app, `reader-${process.pid}`);
    const { pages, headers } = await wholeFeed(app, auth);
    assert.equal(pages[0]?.source, 'online');
    assert.ok(
      pages.slice(1).every((p) => p.source === 'precomputed'),
      'later pages come from the stored feed',
    );
    assert.ok(pages.every((p) => p.ranker === 'onnx'));
    assert.ok(headers.every((h) => h === 'onnx'));
    const ids = pages.flatMap((p) => p.items.map((i) => i.contentId));
    assert.equal(ids.length, 60);
    assert.equal(new Set(ids).size, 60, 'no item twice across pages');
  });

  it('raises topic X in the feed of a user who engages with X (interest workflow asks for a refresh)', async () => {
    const user = `jazzfan-${process.pid}`;
    const auth = await bearer(app, user);
    const jazzInTop = (page: Page) => page.items.filter((i) => Number(i.contentId.slice(5)) % 4 === 1).length;
    const first = await app.inject({ url: '/api/v1/feed?limit=12', headers: { authorization: auth } });
    const before = first.json<Page>();
    assert.equal(before.source, 'online');

    const engaged = ['item-1', 'item-5', 'item-9'];
    const events = engaged.flatMap((contentId, i) =>
      ['view', 'like', 'share'].map((type) => ({
        eventId: `${user}-${i}-${type}`,
        userId: user,
        type,
        contentId,
        occurredAt: new Date().toISOString(),
      })),
    );
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: auth },
      payload: { events },
    });
    assert.equal(posted.statusCode, 202, posted.body);

    const after = await eventually(
      async () => (await app.inject({ url: '/api/v1/feed?limit=12', headers: { authorization: auth } })).json<Page>(),
      (page) => page.source === 'precomputed' && jazzInTop(page) > jazzInTop(before) + 3,
      'jazz items rising to the top of the refreshed feed',
      300,
    );
    assert.ok(jazzInTop(after) >= 8, `jazz in the top 12: ${jazzInTop(before)} before, ${jazzInTop(after)} after`);
    assert.ok(
      after.items.every((i) => !engaged.includes(i.contentId)),
      'items the user engaged with are seen: not shown again',
    );
  });

  it('the batch-scoring schedule, created idempotently, fires and its run writes feeds and a scoring_runs record', async (t) => {
    const client = platform.temporal.client;
    const user = `batch-${process.pid}`;
    const nowMs = Date.now();
    const profile = { ...emptyProfile(user, nowMs), topics: { chess: 3 }, lastEventAtMs: nowMs, appliedEvents: 4 };
    await saveInterestProfile(mongo.db, { ...profile, _id: user, topTopics: ['chess'], savedAt: new Date() });
    const stale = { ...profile, userId: `idle-${process.pid}`, lastEventAtMs: nowMs - 30 * 86_400_000 };
    await saveInterestProfile(mongo.db, { ...stale, _id: stale.userId, topTopics: ['chess'], savedAt: new Date() });

    const schedule = client.schedule.getHandle(config.BATCH_SCORING_SCHEDULE_ID);
    assert.equal(await ensureBatchScoringSchedule(client, config), 'created');
    t.after(() => schedule.delete().catch(() => undefined));
    const { action } = await schedule.describe();
    assert.equal(action.type === 'startWorkflow' && action.workflowId, config.BATCH_SCORING_SCHEDULE_ID);
    const ops = { authorization: await bearer(app, 'ops', ['operator']) };
    const paused = await app.inject({ method: 'PUT', url: '/api/v1/feed/batch-schedule', headers: ops, payload: { paused: true } }); // prettier-ignore
    assert.equal(paused.statusCode, 200, paused.body);
    assert.equal(paused.json<{ paused: boolean }>().paused, true);
    assert.equal(await ensureBatchScoringSchedule(client, config), 'updated');
    assert.equal((await schedule.describe()).state.paused, true);

    await schedule.trigger(); // what an operator's "Trigger" does; a paused schedule still runs on demand
    const run = await eventually(
      () => scoringRunsCollection(mongo.db).findOne({ status: 'completed' }),
      (doc) => doc !== null,
      'a completed scoring run',
    );
    assert.ok(run?._id.startsWith(`${config.BATCH_SCORING_SCHEDULE_ID}-`), run?._id);
    assert.ok((run?.users ?? 0) >= 1 && (run?.itemsScored ?? 0) > 0, JSON.stringify(run));
    assert.match(run?.modelVersion ?? '', /.+/);
    const listed = await app.inject({ url: '/api/v1/feed/batch-runs?limit=5', headers: ops });
    assert.deepEqual(
      listed.json<{ items: Array<{ runId: string; status: string }> }>().items.map((r) => [r.runId, r.status]),
      [[run?._id, 'completed']],
    );
    const notOperator = await app.inject({ url: '/api/v1/feed/batch-runs', headers: { authorization: await bearer(app, user) } }); // prettier-ignore
    assert.equal(notOperator.statusCode, 403);
    assert.equal(await readFeed(platform.redis, stale.userId), null, 'users idle beyond the window are not scored');
    const stored = await readFeed(platform.redis, user);
    assert.equal(stored?.ranker, 'onnx');
    const res = await app.inject({ url: '/api/v1/feed?limit=5', headers: { authorization: await bearer(app, user) } });
    assert.equal(res.json<Page>().source, 'precomputed');
    assert.equal(res.json<Page>().items[0]?.contentId, stored?.items[0]?.contentId);
  });

  it('never shows a blocked creator, on any page', async () => {
    const user = `blocker-${process.pid}`;
    await addEdge('block', user, 'spammer');
    // Following the creator too (an edge the API would refuse): a follow must not bring a blocked creator back.
    await addEdge('follow', user, 'spammer');
    const { pages } = await wholeFeed(app, await bearer(app, user));
    const creators = pages.flatMap((p) => p.items.map((i) => i.creatorId));
    assert.equal(creators.length, 48);
    assert.ok(!creators.includes('spammer'));
  });

  it('leaves out the content types a user opts out of (PUT preferences → interest profile → feed)', async () => {
    const user = `optout-${process.pid}`;
    const auth = { authorization: await bearer(app, user) };
    const claimed = await app.inject({ method: 'POST', url: '/api/v1/identities', headers: auth, payload: { handle: `optout_${process.pid}`, displayName: 'Opt Out' } }); // prettier-ignore
    assert.equal(claimed.statusCode, 201, claimed.body);
    const shared = { language: null, contentTypeOptOuts: ['short'], notifications: { push: true, email: true, reminders: true } }; // prettier-ignore
    const put = await app.inject({ method: 'PUT', url: `/api/v1/identities/${user}/preferences`, headers: auth, payload: shared }); // prettier-ignore
    assert.equal(put.statusCode, 200, put.body);
    await eventually(
      () => loadInterestProfile(mongo.db, user),
      (profile) => profile?.contentTypeOptOuts?.includes('short') === true,
      'the opt-out persisted in the interest profile',
    );
    const types = new Map(catalog(Date.now()).map((doc) => [doc._id, doc.type]));
    const { pages } = await wholeFeed(app, auth.authorization);
    const served = pages.flatMap((p) => p.items.map((i) => types.get(i.contentId)));
    assert.equal(served.length, 30, 'every video item, and only those');
    assert.ok(
      served.every((type) => type === 'video'),
      `types served: ${[...new Set(served)].join(', ')}`,
    );
  });

  it('batch scoring cuts from its per-run pools exactly the candidates the per-user reads find', async () => {
    const user = `same-${process.pid}`;
    const nowMs = Date.now();
    await addRelationship(mongo.db, 'follow', user, 'chef', new Date());
    await addRelationship(mongo.db, 'block', user, 'player', new Date());
    await eventsCollection(mongo.db).insertMany(
      ['item-9', 'item-13'].map((contentId, i) => ({ _id: `${user}-seen-${i}`, userId: user, type: 'view' as const, contentId, occurredAt: new Date(nowMs - 1_000), receivedAt: new Date(nowMs), batchId: user })), // prettier-ignore
    );
    const profile = { ...emptyProfile(user, nowMs), topics: { jazz: 3, hiking: 1 }, contentTypeOptOuts: ['video' as const] }; // prettier-ignore
    // Small sources, so the newest-N cuts decide what is in, not the size of the catalog.
    const limits = { ...DEFAULT_CANDIDATE_LIMITS, perSource: 12 };
    const online = await candidatesFromStore(mongo.db, platform.redis, user, profile, nowMs, limits);
    const pools = await loadCandidatePools(mongo.db, platform.redis, nowMs, limits);
    const graph = await loadRunGraph(mongo.db, nowMs, limits);
    assert.ok(graph, 'a small graph is read whole');
    const batch = poolCandidates(pools, profile, graphSignals(graph, user, profile), limits);
    const view = (list: typeof batch) => list.map((c) => `${c.item.contentId}:${c.followsCreator}`).sort();
    assert.deepEqual(view(batch), view(online.candidates));
    const creators = new Set(batch.map((c) => c.item.creatorId));
    assert.ok(creators.has('chef') && !creators.has('player'), [...creators].join(', '));
    assert.ok(batch.every((c) => c.item.type !== 'video' && !['item-9', 'item-13'].includes(c.item.contentId)));
    assert.ok(batch.length >= 10, `${batch.length} candidates`);
  });

  it('scores the same feed from per-user reads when the run graph is over its memory cap', async () => {
    const user = `same-${process.pid}`; // follows chef, blocks player, engaged with item-9 and item-13 (above)
    const nowMs = Date.now();
    const scoreWith = async (graphCaps?: { edges: number; events: number }) => {
      const scorer = createBatchScorer({ db: mongo.db, redis: platform.redis, feedTtlSeconds: 60, ...(graphCaps ? { graphCaps } : {}) }); // prettier-ignore
      const result = await scorer.scoreUsers([user], nowMs);
      assert.equal(result.users, 1, JSON.stringify(result));
      return (await readFeed(platform.redis, user))?.items.map((i) => i.contentId);
    };
    const pooled = await scoreWith();
    const perUser = await scoreWith({ edges: 0, events: 0 });
    assert.deepEqual(perUser, pooled);
    const creators = new Set(((await readFeed(platform.redis, user))?.items ?? []).map((i) => i.creatorId));
    assert.ok(creators.has('chef') && !creators.has('player'));
    assert.ok(!pooled?.includes('item-9') && !pooled?.includes('item-13'));
  });

  it("lists a run's active users page by page through one cursor, and any page again from its afterUserId", async () => {
    const scorer = createBatchScorer({ db: mongo.db, redis: platform.redis, feedTtlSeconds: 60 });
    const expected = (
      await interestProfilesCollection(mongo.db)
        .find({ lastEventAtMs: { $gte: 0 } })
        .sort({ _id: 1 })
        .toArray()
    ).map((d) => d._id);
    assert.ok(expected.length >= 3, `${expected.length} profiles`);
    const pages: string[][] = [];
    let after: string | null = null;
    do {
      pages.push(await scorer.activeUsers(after, 0, 2));
      after = pages.at(-1)?.at(-1) ?? null;
    } while (pages.at(-1)?.length === 2);
    assert.deepEqual(pages.flat(), expected);
    // A retried page (not where the open cursor stands) gets the same answer.
    assert.deepEqual(await scorer.activeUsers(pages[0]?.[1] ?? null, 0, 2), pages[1]);
    assert.deepEqual(await scorer.activeUsers(null, 0, 2), pages[0]);
  });

  it('serves the rule-based fallback when the model file is missing, flagged and counted', async () => {
    const missing = buildApp(
      testConfig(import.meta.filename, { ...env, RANKING_MODEL_PATH: '/nonexistent/ranker.onnx' }),
    );
    try {
      const auth = await bearer(missing, `nomodel-${process.pid}`);
      const res = await missing.inject({ url: '/api/v1/feed?limit=10', headers: { authorization: auth } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['x-ranker'], 'fallback');
      const page = res.json<Page>();
      assert.equal(page.ranker, 'fallback');
      assert.equal(page.items.length, 10);
      const metrics = await missing.inject({ url: '/metrics' });
      assert.match(metrics.body, /feed_ranker_fallbacks_total\{path="online"\} [1-9]/);
    } finally {
      await missing.close();
    }
  });
});
