import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import type { ContentType } from '../../src/domain/engagement.js';
import { drainImpressions } from '../../src/impressions/drain.js';
import type { Impression } from '../../src/impressions/impression.js';
import { appendImpression, IMPRESSION_STREAM_KEY, readOldest } from '../../src/impressions/stream.js';
import { impressionsCollection, storeImpressions } from '../../src/impressions/store.js';
import { feedbackRowsCollection } from '../../src/learning/feedback-store.js';
import { ensureLearningSchedule } from '../../src/learning/schedule.js';
import { installModel, writePointer } from '../../src/learning/model-registry.js';
import { assignArm } from '../../src/learning/traffic-split.js';
import { DEFAULT_MODEL_PATH } from '../../src/ranking/onnx-ranker.js';
import { resolveRanker } from '../../src/ranking/rank.js';
import { contentCollection, type ContentDoc } from '../../src/store/content.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';

/**
 * The learning loop on the real services: served feed pages become impressions (one per page, through the Redis
 * stream into MongoDB), the learning-loop workflow joins them with the engagements that followed into labelled
 * rows, the operator route and /metrics report them per model; a registry promotion swaps the serving model
 * without a restart, and the traffic split keeps each user on one arm.
 */
const WINDOW_MINUTES = 0.02; // 1.2 s: the join only takes impressions whose feedback window has closed
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `learning-${process.pid}`,
  TEMPORAL_RANKING_TASK_QUEUE: `learning-ranking-${process.pid}`,
  LEARNING_SCHEDULE_ID: `learning-test-${process.pid}`,
  FEEDBACK_WINDOW_MINUTES: String(WINDOW_MINUTES),
});
const TOPICS = ['cooking', 'jazz', 'chess', 'hiking'] as const;

function catalog(nowMs: number): ContentDoc[] {
  return Array.from({ length: 60 }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length] as string;
    return {
      _id: `item-${i}`,
      creatorId: `creator-${i % 5}`,
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
  items: Array<{ contentId: string; creatorId: string }>;
  nextCursor: string | null;
  source: string;
  ranker: string;
  modelVersion: string;
  arm: string;
}

describe('learning loop (integration)', () => {
  let app: ApiInstance;
  let platform: Platform;

  before(async () => {
    app = buildApp(config);
    platform = await startPlatform(config);
    await contentCollection(platform.mongo.db).insertMany(catalog(Date.now()));
  });
  after(async () => {
    await app?.close();
    await platform?.close();
  });

  const runLoop = () =>
    platform.temporal.client.workflow.execute('learningLoopWorkflow', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: `${config.LEARNING_SCHEDULE_ID}-manual-${Date.now()}`,
    });

  it('logs each served page once and joins it with later engagements into the right labels', async () => {
    const user = `viewer-${process.pid}`;
    const auth = await bearer(app, user);
    const pages: Page[] = [];
    const requestIds: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 3; i++) {
      const res: { statusCode: number; body: string; headers: Record<string, unknown>; json<T>(): T } =
        await app.inject({
          url: `/api/v1/feed?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
          headers: { authorization: auth },
        });
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json<Page>();
      pages.push(page);
      requestIds.push(String(res.headers['x-request-id']));
      cursor = page.nextCursor;
    }
    // Logging is not awaited by the route: wait for the pipeline, then check nothing more arrives with the drain.
    const pagesInStream = async () => (await readOldest(platform.redis, 100)).flatMap((e) => e.impressions ?? []).length; // prettier-ignore
    await eventually(pagesInStream, (n) => n >= 3, 'the impressions appended');
    assert.equal(await pagesInStream(), 3, 'one impression per served page');

    const at = (position: number) => pages[Math.floor(position / 10)]?.items[position % 10]?.contentId as string;
    const reactions: Array<[number, string]> = [[0, 'like'], [12, 'share'], [5, 'hide'], [29, 'view']]; // prettier-ignore
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: auth },
      payload: {
        events: reactions.map(([position, type]) => ({
          eventId: `${user}-${position}-${type}`,
          userId: user,
          type,
          contentId: at(position),
          occurredAt: new Date().toISOString(),
        })),
      },
    });
    assert.equal(posted.statusCode, 202, posted.body);
    await sleep(WINDOW_MINUTES * 60_000 + 200); // the window closes; the join leaves open windows alone

    const first = await runLoop();
    assert.equal(first.drained.stored, 3);
    assert.equal(await platform.redis.xlen(IMPRESSION_STREAM_KEY), 0, 'the drain empties the stream');
    const stored = await impressionsCollection(platform.mongo.db).find({ userId: user }).sort({ at: 1 }).toArray();
    assert.deepEqual(
      stored.map((d) => [d.requestId, d.source, d.modelVersion, d.ranker, d.arm]),
      pages.map((p, i) => [requestIds[i], p.source, p.modelVersion, p.ranker, 'current']),
    );
    assert.deepEqual(stored.map((d) => d.items.map((i) => i.position)), [0, 10, 20].map((o) => Array.from({ length: 10 }, (_, i) => o + i))); // prettier-ignore
    assert.deepEqual(
      stored[1]?.items.map((i) => i.contentId),
      pages[1]?.items.map((i) => i.contentId),
    );

    const rows = await feedbackRowsCollection(platform.mongo.db).find({ userId: user }).toArray();
    assert.equal(rows.length, 30);
    const byPosition = new Map(rows.map((r) => [r.position, r]));
    assert.deepEqual(
      [0, 12, 5, 29, 3].map((p) => {
        const r = byPosition.get(p);
        return [r?.contentId, r?.label, r?.gain];
      }),
      [[at(0), 'engaged', 2], [at(12), 'engaged', 3], [at(5), 'skipped', 0], [at(29), 'engaged', 1], [at(3), 'skipped', 0]], // prettier-ignore
    );
    assert.equal(byPosition.get(12)?.ipw, 13, 'inverse propensity of position 12 under eta = 1');
    assert.equal(rows.filter((r) => r.label === 'engaged').length, 3);

    const again = await runLoop();
    assert.deepEqual([again.drained.stored, again.joined.impressions], [0, 0], 'nothing is logged or joined twice');
    assert.equal(await feedbackRowsCollection(platform.mongo.db).countDocuments({ userId: user }), 30);

    const ops = { authorization: await bearer(app, 'ops', ['operator']) };
    const report = await app.inject({ url: '/api/v1/learning/online-metrics', headers: ops });
    assert.equal(report.statusCode, 200, report.body);
    const row = report.json<{ rows: Array<Record<string, unknown>> }>().rows.find((r) => r.modelVersion === pages[0]?.modelVersion); // prettier-ignore
    assert.deepEqual(
      [row?.pages, row?.items, row?.engagementRateAtK, row?.likeRate, row?.shareRate, row?.skipRate],
      [3, 30, 1, 0.033333, 0.033333, 0.033333],
    );
    const metrics = (await app.inject({ url: '/metrics' })).body;
    assert.match(metrics, new RegExp(`feed_online_metric\\{model_version="${pages[0]?.modelVersion}",arm="current",metric="likeRate"\\} 0.033333`)); // prettier-ignore
    const notOperator = await app.inject({ url: '/api/v1/learning/online-metrics', headers: { authorization: auth } });
    assert.equal(notOperator.statusCode, 403);
  });

  it('creates the learning-loop schedule idempotently', async (t) => {
    const client = platform.temporal.client;
    t.after(() =>
      client.schedule
        .getHandle(config.LEARNING_SCHEDULE_ID)
        .delete()
        .catch(() => undefined),
    );
    assert.equal(await ensureLearningSchedule(client, config), 'created');
    assert.equal(await ensureLearningSchedule(client, config), 'updated');
    const described = await client.schedule.getHandle(config.LEARNING_SCHEDULE_ID).describe();
    assert.equal(described.action.type === 'startWorkflow' && described.action.workflowType, 'learningLoopWorkflow');
  });

  it('swaps a promoted model in without a restart and keeps each user on one arm of the split', async (t) => {
    const registry = await mkdtemp(join(tmpdir(), 'registry-'));
    const source = await mkdtemp(join(tmpdir(), 'trained-'));
    const card = JSON.parse(await readFile(join(DEFAULT_MODEL_PATH, '../model-card.json'), 'utf8')) as object;
    await copyFile(DEFAULT_MODEL_PATH, join(source, 'ranker.onnx'));
    await writeFile(join(source, 'MODEL_CARD.md'), '# test model\n');
    for (const version of ['test-a', 'test-b']) {
      await writeFile(join(source, 'model-card.json'), JSON.stringify({ ...card, modelVersion: version }));
      await installModel(registry, source, version);
    }
    const share = 0.5;
    const split = buildApp({ ...config, RANKING_MODEL_PATH: registry, MODEL_CANDIDATE_SHARE: share });
    t.after(() => split.close());
    const feedOf = async (user: string) => {
      const res = await split.inject({ url: '/api/v1/feed?limit=5', headers: { authorization: await bearer(split, user) } }); // prettier-ignore
      assert.equal(res.statusCode, 200, res.body);
      return res.json<Page>();
    };
    const users = Array.from({ length: 16 }, (_, i) => `split-${i}-${process.pid}`);

    await writePointer(registry, 'current', { modelVersion: 'test-a', promotedAt: new Date().toISOString() });
    await eventually(() => feedOf(`first-${process.pid}`), (p) => p.modelVersion === 'test-a', 'the registry model serving'); // prettier-ignore
    assert.equal((await resolveRanker(registry)).ranker.version, 'test-a', 'the worker side follows the same pointer');

    await writePointer(registry, 'candidate', { modelVersion: 'test-b', promotedAt: new Date().toISOString() });
    await eventually(() => feedOf(users[0] as string), (p) => p.arm === assignArm(users[0] as string, share, config.MODEL_SPLIT_SALT), 'the candidate pointer read'); // prettier-ignore
    const arms = [];
    for (const user of users) {
      const expected = assignArm(user, share, config.MODEL_SPLIT_SALT);
      const [one, two] = [await feedOf(user), await feedOf(user)];
      assert.deepEqual([one.arm, two.arm], [expected, expected], `${user} stays on ${expected}`);
      assert.equal(one.modelVersion, expected === 'candidate' ? 'test-b' : 'test-a');
      arms.push(expected);
    }
    assert.ok(arms.includes('candidate') && arms.includes('current'), `both arms drawn: ${arms.join(',')}`);

    await writePointer(registry, 'current', { modelVersion: 'test-b', promotedAt: new Date().toISOString() });
    await eventually(() => feedOf(`late-${process.pid}`), (p) => p.modelVersion === 'test-b', 'the promoted model serving'); // prettier-ignore
    assert.equal((await resolveRanker(registry)).ranker.version, 'test-b');
  });

  it('pages logged together share one stream entry, and a drain retried after a crash stores each page once', async () => {
    const page = (i: number): Impression => ({
      requestId: `shared-${process.pid}-${i}`,
      userId: `sharer-${process.pid}`,
      atMs: Date.now(),
      ranker: 'fallback',
      modelVersion: 'rules',
      source: 'precomputed',
      arm: 'current',
      items: [{ contentId: `item-${i}`, creatorId: 'creator-0', position: i }],
    });
    await platform.redis.del(IMPRESSION_STREAM_KEY);
    await Promise.all(Array.from({ length: 5 }, (_, i) => appendImpression(platform.redis, page(i), 1_000)));
    assert.equal(await platform.redis.xlen(IMPRESSION_STREAM_KEY), 1, 'five pages of one turn in one entry');

    // A drain that stored the pages and died before XDEL: the retry finds the same page ids and inserts nothing.
    const [entry] = await readOldest(platform.redis, 10);
    const pages = (entry?.impressions ?? []).map((impression, i) => ({ id: `${entry?.id}/${i}`, impression }));
    assert.equal((await storeImpressions(platform.mongo.db, pages)).inserted, 5);
    const retried = await drainImpressions(platform.mongo.db, platform.redis, { batchSize: 100, maxBatches: 2 });
    assert.deepEqual([retried.stored, retried.duplicates, retried.drained], [0, 5, true]);
    assert.equal(await platform.redis.xlen(IMPRESSION_STREAM_KEY), 0);
    const stored = await impressionsCollection(platform.mongo.db)
      .find({ userId: `sharer-${process.pid}` })
      .toArray();
    assert.deepEqual(stored.map((d) => d.requestId).sort(), Array.from({ length: 5 }, (_, i) => `shared-${process.pid}-${i}`)); // prettier-ignore
  });
});
