import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Db } from 'mongodb';
import { createPowerstreamClient } from '../../clients/typescript/src/index.js';
import { freePort } from '../../src/dev/ports.js';
import { REPO_ROOT } from '../../src/dev/tools.js';
import { CREATORS, VIEWERS } from '../../src/ops/seed/data.js';
import type { SeedSummary } from '../../src/ops/seed/main.js';
import { brainCommandsCollection } from '../../src/store/brain-commands.js';
import { contentCollection } from '../../src/store/content.js';
import { eventsCollection } from '../../src/store/events.js';
import { identitiesCollection } from '../../src/store/identities.js';
import { relationshipsCollection } from '../../src/store/relationships.js';
import { stationsCollection } from '../../src/store/stations.js';
import { tipsCollection } from '../../src/store/tips.js';
import { workflowIds } from '../../workflows/ids.js';
import { build, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, terminateWorkflows, type Platform } from '../helpers/platform.js';
import { envOf } from '../helpers/processes.js';

/**
 * `npm run seed` as a developer runs it after `npm run dev`: a separate process against an API listening on a port,
 * with the worker and relay running. Run twice, it must leave the store exactly as the first run left it.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `seed-${process.pid}`,
  INTEREST_PERSIST_DEBOUNCE_MS: '50',
  CREATOR_PERSIST_DEBOUNCE_MS: '50',
  RELAY_INTERVAL_MS: '50',
});

interface SeedRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runSeed(apiUrl: string, ...args: string[]): Promise<SeedRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/ops/seed/main.ts', '--api', apiUrl, ...args], {
    cwd: REPO_ROOT,
    env: envOf(config),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** What the seed left in the store, counted there rather than taken from the seeder's word. */
async function storedCounts(db: Db) {
  const [identities, content, events, follows, tips, stations, commands] = await Promise.all([
    identitiesCollection(db).countDocuments({}),
    contentCollection(db).countDocuments({}),
    eventsCollection(db).countDocuments({}),
    relationshipsCollection(db).countDocuments({ kind: 'follow' }),
    tipsCollection(db).countDocuments({}),
    stationsCollection(db).countDocuments({}),
    brainCommandsCollection(db).countDocuments({}),
  ]);
  return { identities, content, events, follows, tips, stations, commands };
}

describe('npm run seed (integration)', () => {
  const app = build({ after }, config);
  let platform: Platform | undefined;
  let apiUrl = '';
  const stations: string[] = [];
  const commands: string[] = [];

  // At the suite's level: an after() called inside before() would run as soon as that hook ends.
  after(async () => {
    if (!platform) return;
    const users = [...CREATORS, ...VIEWERS].map((u) => u.userId);
    await terminateWorkflows(platform.temporal, [
      ...stations.map(workflowIds.tvStation),
      ...commands.map(workflowIds.brainCommand),
      ...users.flatMap((id) => [
        workflowIds.userInterest(id),
        workflowIds.onboarding(id),
        workflowIds.creatorStats(id),
      ]),
    ]);
    await platform.close();
  });

  before(async () => {
    platform = await startPlatform(config);
    const port = await freePort();
    await app.listen({ host: '127.0.0.1', port });
    apiUrl = `http://127.0.0.1:${port}`;
  });

  it('seeds through the API; a second run creates nothing and ends with the same counts', async () => {
    const db = platform!.mongo.db;
    const first = await runSeed(apiUrl, '--json');
    assert.equal(first.code, 0, first.stderr);
    const one = JSON.parse(first.stdout) as SeedSummary;
    stations.push(...(await stationsCollection(db).find().toArray()).map((s) => s._id));
    commands.push(...(await brainCommandsCollection(db).find().toArray()).map((c) => String(c._id)));

    const { counts } = one;
    assert.equal(counts.identities.total, CREATORS.length + VIEWERS.length);
    assert.equal(counts.identities.created, counts.identities.total, 'a fresh store: every identity is new');
    assert.equal(counts.content.total, 32);
    assert.equal(counts.interests.total, VIEWERS.length);
    assert.ok(counts.follows.total >= VIEWERS.length, JSON.stringify(counts.follows));
    assert.ok(counts.events.total >= 300 && counts.events.created === counts.events.total, JSON.stringify(counts.events)); // prettier-ignore
    assert.ok(counts.tips.total >= 3 && counts.tips.created === counts.tips.total, JSON.stringify(counts.tips));
    assert.deepEqual(counts.stations, { total: 1, created: 1 });
    assert.deepEqual(counts.shows, { total: 4, created: 4 });
    assert.deepEqual(counts.brainCommands, { total: 1, created: 1 });
    assert.equal(one.brainCommandStatus, 'completed');
    const afterFirst = await storedCounts(db);
    assert.deepEqual(afterFirst, {
      identities: counts.identities.total,
      content: counts.content.total,
      events: counts.events.total,
      // The seeded follows and the Brain Mode one.
      follows: counts.follows.total + 1,
      tips: counts.tips.total,
      stations: 1,
      commands: 1,
    });

    const second = await runSeed(apiUrl, '--json');
    assert.equal(second.code, 0, second.stderr);
    const two = JSON.parse(second.stdout) as SeedSummary;
    for (const [kind, count] of Object.entries(two.counts)) {
      assert.equal(count.created, 0, `second run created ${kind}`);
      assert.equal(count.total, one.counts[kind as keyof SeedSummary['counts']].total, `${kind} total changed`);
    }
    assert.deepEqual(await storedCounts(db), afterFirst);
  });

  it("prints what to open and a token that reads the demo viewer's feed and the leaderboard", async () => {
    const run = await runSeed(apiUrl);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Temporal UI +http/);
    assert.match(run.stdout, new RegExp(`API docs +${apiUrl}/docs`));
    const token = /export TOKEN=(\S+)/.exec(run.stdout)?.[1];
    assert.ok(token, run.stdout);

    const alex = createPowerstreamClient({ baseUrl: apiUrl, token });
    const feed = await alex.GET('/api/v1/feed', { params: { query: { limit: 10 } } });
    assert.equal(feed.response.status, 200, JSON.stringify(feed.error));
    assert.ok(feed.data!.items.length > 0, 'the demo viewer has unseen items to rank');
    assert.ok(
      feed.data!.items.every((i) => i.item?.title),
      'items carry their titles',
    );
    const board = await eventually(
      () => alex.GET('/api/v1/leaderboards/{board}', { params: { path: { board: 'score' }, query: { limit: 20 } } }),
      (answer) => (answer.data?.items.length ?? 0) >= 4,
      'creators on the score board',
    );
    const seededCreators = new Set(CREATORS.map((c) => c.userId));
    assert.ok(board.data!.items.every((entry) => seededCreators.has(entry.creatorId)));
  });
});
