import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { REPO_ROOT } from '../../src/dev/tools.js';
import { releaseRebuildLock, takeRebuildLock } from '../../src/cache/rebuild.js';
import { feedbackPagesCollection, type FeedbackPageDoc } from '../../src/learning/feedback-store.js';
import { outboxCollection, openOutboxEntry } from '../../src/store/event-outbox.js';
import { eventsCollection, insertNewEvents, type EventDoc } from '../../src/store/events.js';
import { loadInterestProfile } from '../../src/store/interest-profiles.js';
import { leaderboardKey } from '../../src/store/leaderboards.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { batchScoringScheduleId } from '../../src/workflow-clients/schedules.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';
import { envOf } from '../helpers/processes.js';

/**
 * `npm run ops` commands as an operator runs them (a separate process), against the test services with the API and a
 * worker running. Each command is checked by the state it reads or changes in MongoDB, Redis or Temporal.
 */
const pid = process.pid;
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `ops-cli-${pid}`,
  BATCH_SCORING_SCHEDULE_ID: `ops-cli-${pid}`,
  INTEREST_PERSIST_DEBOUNCE_MS: '50',
  CREATOR_PERSIST_DEBOUNCE_MS: '50',
  RELAY_INTERVAL_MS: '50',
  // The in-process relay takes only ready entries, so a stuck (never readied) one waits for redrive-outbox.
  OUTBOX_STALE_MS: String(24 * 3600_000),
  RATE_LIMIT_MAX: '100000',
});

interface OpsRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ops(...args: string[]): Promise<OpsRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/ops/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: envOf(config),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

async function ok(...args: string[]): Promise<string> {
  const run = await ops(...args);
  assert.equal(run.code, 0, `ops ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

describe('ops CLI (integration)', () => {
  let app: ApiInstance;
  let platform: Platform;
  const user = `ops-user-${pid}`;
  const creator = `ops-creator-${pid}`;
  let contentId = '';

  before(async () => {
    app = buildApp(config);
    platform = await startPlatform(config);
    const published = await app.inject({
      method: 'POST',
      url: '/api/v1/content',
      headers: { authorization: await bearer(app, creator, ['creator']) },
      payload: {
        title: 'Jazz piano lesson',
        description: 'Chords for beginners',
        tags: ['jazz', 'piano'],
        type: 'video',
      },
    });
    assert.equal(published.statusCode, 201, published.body);
    contentId = (published.json() as { id: string }).id;
    const events = [1, 2, 3].map((i) => ({
      eventId: `${user}-${i}`,
      userId: user,
      type: 'like',
      contentId,
      creatorId: creator,
      occurredAt: new Date(Date.now() - i * 1000).toISOString(),
    }));
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: await bearer(app, user) },
      payload: { events },
    });
    assert.equal(res.statusCode, 202, res.body);
    await eventually(() => loadInterestProfile(platform.mongo.db, user), Boolean, 'the profile');
  });
  after(async () => {
    const { client } = platform.temporal;
    await client.schedule
      .getHandle(batchScoringScheduleId(config))
      .delete()
      .catch(() => undefined);
    await app?.close();
    await platform?.close();
  });

  it('has --help for every command', async () => {
    const help = await ok('--help');
    const names = [...help.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]).filter((n) => n !== 'help');
    assert.ok(names.length >= 7, help);
    for (const name of names) assert.match(await ok(name!, '--help'), new RegExp(`Usage: ops ${name}`));
  });

  it('status: outbox depth, workflows by type and status, batch-scoring schedule', async () => {
    const status = JSON.parse(await ok('status', '--json')) as {
      outbox: { depth: number };
      workflows: Record<string, Record<string, number>>;
    };
    assert.equal(typeof status.outbox.depth, 'number');
    assert.ok((status.workflows.userInterestWorkflow?.Running ?? 0) >= 1, JSON.stringify(status.workflows));
  });

  it('show user / creator: store, cache and workflow in one view', async () => {
    const shown = JSON.parse(await ok('show', 'user', user)) as {
      store: { interestProfile: unknown };
      workflow: { status: string; query?: unknown };
    };
    assert.ok(shown.store.interestProfile);
    assert.equal(shown.workflow.status, 'RUNNING');
    assert.ok(shown.workflow.query, 'the profile query answered');

    await eventually(
      async () => JSON.parse(await ok('show', 'creator', creator)),
      (c) => c.store.creatorStats !== null,
      'creator stats',
    );
    const missing = JSON.parse(await ok('show', 'user', `nobody-${pid}`)) as { workflow: { status: string } };
    assert.equal(missing.workflow.status, 'NOT_FOUND');
  });

  it('rebuild-leaderboards: a lost score board comes back from creator_stats', async () => {
    const board = leaderboardKey('score', null);
    await eventually(
      () => platform.redis.zscore(board, creator),
      (s) => s !== null,
      'the creator on the board',
    );
    await platform.redis.del(board);
    assert.match(await ok('rebuild-leaderboards'), /rebuilt \d+ leaderboards from [1-9]\d* creators/);
    assert.notEqual(await platform.redis.zscore(board, creator), null);
  });

  it('rebuild-caches: lost hot caches come back from MongoDB; refused while another rebuild holds the lock', async () => {
    const { redis } = platform;
    const hot = redisKeys.hot;
    const cacheState = async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/cache',
        headers: { authorization: await bearer(app, `ops-operator-${pid}`, ['operator']) },
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { ready: boolean };
    };
    await redis.del(hot.built, hot.items, hot.seen(user), hot.creatorPool(creator));
    assert.equal((await cacheState()).ready, false);

    const heldElsewhere = await takeRebuildLock(redis);
    assert.ok(heldElsewhere, 'no rebuild was running');
    const refused = await ops('rebuild-caches');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /another rebuild is running/);
    assert.equal(await redis.exists(hot.built), 0, 'a refused command rebuilt nothing');
    await releaseRebuildLock(redis, heldElsewhere);

    const counts = JSON.parse(await ok('rebuild-caches', '--json')) as { items: number; events: number };
    assert.ok(counts.items >= 1 && counts.events >= 3, JSON.stringify(counts));
    assert.equal(await redis.hexists(hot.items, contentId), 1);
    assert.notEqual(await redis.zscore(hot.seen(user), contentId), null);
    assert.notEqual(await redis.zscore(hot.creatorPool(creator), contentId), null);
    assert.equal((await cacheState()).ready, true);
    assert.equal(await redis.exists(hot.rebuildLock), 0, 'the command gave the lock back');
    assert.match(await ok('rebuild-caches'), /rebuilt the hot caches in \d+ ms:\n {2}catalog items +[1-9]/);
  });

  it('redrive-outbox: relays a stuck entry the relay left alone', async () => {
    const stuckUser = `ops-stuck-${pid}`;
    const batchId = `ops-stuck-batch-${pid}`;
    const tenMinutesAgo = new Date(Date.now() - 600_000);
    await openOutboxEntry(platform.mongo.db, batchId, tenMinutesAgo);
    await insertNewEvents(platform.mongo.db, [storedEvent(stuckUser, `${stuckUser}-1`, batchId)]);
    assert.match(await ok('redrive-outbox', '--dry-run', '--older-than-ms', '60000'), /^1 outbox entries/);
    assert.equal(
      await outboxCollection(platform.mongo.db).countDocuments({ _id: batchId }),
      1,
      'dry run relays nothing',
    );

    assert.match(await ok('redrive-outbox', '--older-than-ms', '60000'), /relayed 1 events; 0 stuck entries left/);
    assert.equal(await outboxCollection(platform.mongo.db).countDocuments({ _id: batchId }), 0);
    await eventually(() => loadInterestProfile(platform.mongo.db, stuckUser), Boolean, 'the stuck user profile');
  });

  it('backfill profiles: builds the profile of a user whose events never reached a workflow, skips the others', async () => {
    const lost = `ops-lost-${pid}`;
    await insertNewEvents(platform.mongo.db, [storedEvent(lost, `${lost}-1`, `ops-lost-batch-${pid}`)]);
    const run = await ops('backfill', 'profiles');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^1 users to backfill/m);
    assert.match(run.stdout, /backfilled 1 of 1 users from 1 events/);
    await eventually(() => loadInterestProfile(platform.mongo.db, lost), Boolean, 'the backfilled profile');
  });

  it('batch-scoring pause / resume / trigger act on the schedule', async () => {
    const handle = () => platform.temporal.client.schedule.getHandle(batchScoringScheduleId(config));
    await ok('batch-scoring', 'trigger');
    await eventually(
      async () => (await handle().describe()).info.recentActions.length,
      (n) => n >= 1,
      'a triggered run',
    );
    await ok('batch-scoring', 'pause', '--reason', 'test');
    assert.equal((await handle().describe()).state.paused, true);
    await ok('batch-scoring', 'resume');
    assert.equal((await handle().describe()).state.paused, false);
    for (const action of (await handle().describe()).info.recentActions) {
      await platform.temporal.client.workflow
        .getHandle(action.action.workflow.workflowId)
        .terminate('test over')
        .catch(() => undefined);
    }
  });

  it('model-metrics: online metrics per model per day, as the operator route reports them, as a table, JSON and PNG', async () => {
    // Joined pages of two models over the last days, and one older than the window.
    const day = 86_400_000;
    const today = Math.floor(Date.now() / day) * day;
    const [a, b] = [`ops-model-a-${pid}`, `ops-model-b-${pid}`];
    const outcome = (
      id: string,
      modelVersion: string,
      arm: 'current' | 'candidate',
      atMs: number,
      counts: number[],
    ): FeedbackPageDoc => {
      const [items, engagedItems, engagedAtK, headPage, likes, shares, skips] = counts as [number, number, number, number, number, number, number]; // prettier-ignore
      const at = new Date(atMs);
      return { _id: `${id}-${pid}`, modelVersion, arm, at, hour: new Date(Math.floor(atMs / 3_600_000) * 3_600_000), items, engagedItems, engagedAtK, headPage, likes, shares, skips }; // prettier-ignore
    };
    await feedbackPagesCollection(platform.mongo.db).insertMany([
      outcome('p1', a, 'current', today - 2 * day + 3_600_000, [10, 2, 1, 1, 1, 0, 1]),
      outcome('p2', a, 'current', today - 2 * day + 7_200_000, [10, 0, 0, 0, 0, 0, 0]),
      outcome('p3', b, 'candidate', today - 2 * day + 7_200_000, [10, 1, 1, 1, 0, 1, 4]),
      outcome('p4', a, 'current', today - day + 60_000, [10, 5, 1, 1, 4, 0, 0]),
      outcome('old', a, 'current', today - 10 * day, [10, 10, 1, 1, 10, 10, 0]),
    ]);
    const dayOf = (ms: number) => new Date(ms).toISOString();
    // [bucketStart, model, arm, pages, items, engagement at 10, engaged, like, share, skip]
    const expected = [
      [dayOf(today - 2 * day), a, 'current', 2, 20, 1, 0.1, 0.05, 0, 0.05],
      [dayOf(today - 2 * day), b, 'candidate', 1, 10, 1, 0.1, 0, 0.1, 0.4],
      [dayOf(today - day), a, 'current', 1, 10, 1, 0.5, 0.4, 0, 0],
    ];
    type Row = { bucketStart: string; modelVersion: string; arm: string; pages: number; items: number; engagementRateAtK: number; engagedItemRate: number; likeRate: number; shareRate: number; skipRate: number }; // prettier-ignore
    const mine = (rows: Row[]) =>
      rows
        .filter((r) => r.modelVersion === a || r.modelVersion === b)
        .map((r) => [r.bucketStart, r.modelVersion, r.arm, r.pages, r.items, r.engagementRateAtK, r.engagedItemRate, r.likeRate, r.shareRate, r.skipRate]); // prettier-ignore

    const res = await app.inject({
      url: '/api/v1/learning/online-metrics?sinceHours=168&bucket=day',
      headers: { authorization: await bearer(app, `ops-operator-${pid}`, ['operator']) },
    });
    assert.equal(res.statusCode, 200, res.body);
    const routed = res.json() as { bucket: string; rows: Row[] };
    assert.equal(routed.bucket, 'day');
    assert.deepEqual(mine(routed.rows), expected);

    const printed = JSON.parse(await ok('model-metrics', '--since', '7d', '--bucket', 'day', '--json')) as { rows: Row[] }; // prettier-ignore
    assert.deepEqual(mine(printed.rows), expected);
    const table = await ok('model-metrics', '--since', '7d', '--bucket', 'day');
    assert.match(table, new RegExp(`^${dayOf(today - day).slice(0, 10)} +${a} +current +1 +10 +100\\.0% +50\\.0% +40\\.0% +0\\.0% +0\\.0%$`, 'm')); // prettier-ignore
    const totals = await ok('model-metrics', '--since', '30d', '--bucket', 'total');
    assert.match(totals, new RegExp(`^${a} +current +4 +40 `, 'm'), 'the longer window takes the old page in');

    const png = join(mkdtempSync(join(tmpdir(), 'ops-metrics-')), 'metrics.png');
    const drawn = await ops('model-metrics', '--since', '7d', '--bucket', 'day', '--png', png);
    assert.equal(drawn.code, 0, drawn.stderr);
    assert.deepEqual([...readFileSync(png).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file'); // prettier-ignore
    const refused = await ops('model-metrics', '--bucket', 'total', '--png', png);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--png draws a series: use --bucket hour or day/);
  });

  it('export-events: every stored event as one JSON line', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ops-export-')), 'events.jsonl');
    const total = await eventsCollection(platform.mongo.db).countDocuments({});
    assert.match(await ok('export-events', '--out', out), new RegExp(`exported ${total} events`));
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { eventId: string });
    assert.equal(lines.length, total);
    assert.ok(lines.some((l) => l.eventId === `${user}-1`));
    assert.equal(existsSync(`${out}.partial`), false);
    const bad = await ops('export-events', '--out', out, '--since', 'yesterday');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--since: "yesterday" is not an ISO date-time/);
  });

  it('export-events: shows progress with counts, and a Ctrl-C stops it leaving no file that looks whole', async () => {
    // Enough stored events that the export is still running when the test interrupts it.
    const bulkUser = `ops-bulk-${pid}`;
    for (let page = 0; page < 10; page++) {
      const docs = Array.from({ length: 2_000 }, (_, i) => storedEvent(bulkUser, `${bulkUser}-${page}-${i}`, `ops-bulk-${pid}`)); // prettier-ignore
      await insertNewEvents(platform.mongo.db, docs);
    }
    const total = await eventsCollection(platform.mongo.db).countDocuments({});
    const out = join(mkdtempSync(join(tmpdir(), 'ops-export-')), 'events.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/ops/cli.ts', 'export-events', '--out', out], {
      cwd: REPO_ROOT,
      env: envOf(config),
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Interrupt once some lines are on disk: the export is past its start and not done.
    await eventually(
      async () => (existsSync(`${out}.partial`) ? readFileSync(`${out}.partial`, 'utf8').length : 0),
      (bytes) => bytes > 0,
      'the export under way',
    );
    child.kill('SIGINT');
    const code = await exited;

    assert.equal(code, 130, stderr);
    assert.match(
      stderr,
      new RegExp(`export \\[.*\\] \\d+% \\| \\d+/${total} \\| ETA`),
      'a progress line with counts and ETA',
    );
    const stopped = /interrupted after (\d+) of (\d+) events/.exec(stderr);
    assert.ok(stopped, stderr);
    assert.ok(Number(stopped[1]) < total && Number(stopped[2]) === total, stopped[0]);
    assert.equal(existsSync(out), false, 'no file that looks whole');
    assert.equal(existsSync(`${out}.partial`), false, 'the partial file is removed');
  });
});

function storedEvent(userId: string, eventId: string, batchId: string): EventDoc {
  const now = new Date();
  return { _id: eventId, userId, type: 'view', occurredAt: now, receivedAt: now, batchId };
}
