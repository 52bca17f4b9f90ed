import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { REPO_ROOT } from '../../src/dev/tools.js';
import { emptyProfile } from '../../src/domain/interest-profile.js';
import { creatorStatsCollection, saveCreatorStatsMany, type CreatorStatsDoc } from '../../src/store/creator-stats.js';
import { readFeed, writeFeeds, type StoredFeed } from '../../src/store/feeds.js';
import {
  interestProfilesCollection,
  saveInterestProfiles,
  type InterestProfileDoc,
} from '../../src/store/interest-profiles.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../../src/store/mongo.js';
import { createRedis } from '../../src/store/redis.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually } from '../helpers/platform.js';

/**
 * Read models are written by _id with a guard, never deleted and inserted again: a worker SIGKILLed while it writes
 * profiles leaves every profile present (a watcher reading them throughout never sees one vanish or go back) and,
 * once a new worker has caught up, exact. And a late or stale writer cannot overwrite newer state.
 */
const USERS = 30;
const EVENTS_PER_USER = 60;
const WAVES = 6;
const env = {
  TEMPORAL_TASK_QUEUE: `read-model-kill-${process.pid}`,
  // Every few events a profile write: the kill lands among many of them.
  INTEREST_PERSIST_DEBOUNCE_MS: '10',
  INTEREST_IDLE_DAYS: String(30 / 86_400), // 30 seconds
  RELAY_INTERVAL_MS: '20',
  RATE_LIMIT_MAX: '100000',
};
const config = testConfig(import.meta.filename, env);

function startWorkerProcess(): ChildProcess {
  const childEnv = { ...process.env, ...env, MONGO_DB: config.MONGO_DB, REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX };
  return spawn(process.execPath, ['--import', 'tsx', 'src/temporal/worker-main.ts'], {
    cwd: REPO_ROOT,
    env: { ...childEnv, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * Reads the users' profiles over and over until stopped and records every moment one that was stored is missing or
 * older than before: what a reader (GET /users/:id/interests, a restoring workflow) would have seen.
 */
function watchProfiles(mongo: MongoStore, users: string[]): { stop(): Promise<string[]> } {
  const seen = new Map<string, number>();
  const violations: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const docs = await interestProfilesCollection(mongo.db)
        .find({ _id: { $in: users } }, { projection: { appliedEvents: 1 } })
        .toArray();
      const now = new Map(docs.map((d) => [d._id, d.appliedEvents]));
      for (const [userId, applied] of seen) {
        const current = now.get(userId);
        if (current === undefined) violations.push(`${userId} missing after it held ${applied} events`);
        else if (current < applied) violations.push(`${userId} went back from ${applied} to ${current} events`);
      }
      for (const [userId, applied] of now) seen.set(userId, Math.max(applied, seen.get(userId) ?? 0));
      await sleep(20);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return violations;
    },
  };
}

describe('read models under a worker SIGKILL (integration)', () => {
  let app: ApiInstance;
  let mongo: MongoStore;
  const workers: ChildProcess[] = [];
  const users = Array.from({ length: USERS }, (_, u) => `rmk-${process.pid}-u${u}`);

  before(async () => {
    app = buildApp(config);
    await app.ready();
    mongo = await connectMongo(config);
  });
  after(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await app?.close();
    await mongo?.client.close();
  });

  it('keeps every profile present while the worker is killed twice mid-write, and exact afterwards', async () => {
    const profiles = interestProfilesCollection(mongo.db);
    const operator = await bearer(app, 'ops', ['operator']);
    const occurredAt = new Date().toISOString();
    const perWave = EVENTS_PER_USER / WAVES;
    const postWave = async (wave: number): Promise<void> => {
      const events = users.flatMap((userId) =>
        Array.from({ length: perWave }, (_, k) => ({
          eventId: `${userId}-${wave * perWave + k}`,
          userId,
          type: 'view',
          occurredAt,
        })),
      );
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: operator },
        payload: { events },
      });
      assert.equal(res.statusCode, 202, res.body);
    };
    const appliedInAll = async (): Promise<number> =>
      (await profiles.find({ _id: { $in: users } }, { projection: { appliedEvents: 1 } }).toArray()).reduce(
        (sum, d) => sum + d.appliedEvents,
        0,
      );

    const watcher = watchProfiles(mongo, users);
    workers.push(startWorkerProcess());
    for (let wave = 0; wave < WAVES / 2; wave++) await postWave(wave);

    // Killed as profiles are being written, twice: the second time the profiles exist, so the worker is replacing
    // stored ones (where a delete-then-insert would leave none).
    for (const threshold of [1, USERS * perWave * 2]) {
      // A worker process starts slowly on a busy machine (compiling, bundling the workflows): up to 3 minutes.
      await eventually(appliedInAll, (n) => n >= threshold, `profiles holding ${threshold} events`, 1_800);
      const worker = workers.at(-1) as ChildProcess;
      worker.kill('SIGKILL');
      await once(worker, 'exit');
      for (let wave = WAVES / 2; wave < WAVES && threshold > 1; wave++) await postWave(wave);
      workers.push(startWorkerProcess());
    }

    const docs = await eventually(
      () => profiles.find({ _id: { $in: users } }).toArray(),
      (list) => list.length === USERS && list.every((d) => d.appliedEvents === EVENTS_PER_USER),
      `all ${USERS} profiles at ${EVENTS_PER_USER} events`,
      1_800,
    );
    const violations = await watcher.stop();
    assert.deepEqual(violations, [], 'no reader saw a profile vanish or go back');
    for (const doc of docs) {
      assert.equal(doc.appliedEvents, EVENTS_PER_USER, doc._id);
      // Decayed by a few seconds of a week's half-life: still the exact count once rounded.
      assert.equal(Math.round(doc.eventCounts.view), EVENTS_PER_USER, `${doc._id} view count`);
    }
  });
});

describe('guarded read-model writes (integration)', () => {
  let mongo: MongoStore;
  let redis: Redis;

  before(async () => {
    mongo = await connectMongo(config);
    await ensureIndexes(mongo.db);
    redis = createRedis(config);
  });
  after(async () => {
    await mongo?.client.close();
    redis?.disconnect();
  });

  const profile = (userId: string, appliedEvents: number, updatedAtMs: number): InterestProfileDoc => ({
    ...emptyProfile(userId, updatedAtMs),
    appliedEvents,
    topics: { [`t${appliedEvents}-${updatedAtMs}`]: 1 },
    _id: userId,
    topTopics: [],
    savedAt: new Date(),
  });

  it('a profile write never replaces a newer profile, in one batch with fresh ones before and after it', async () => {
    const p = `guard-${process.pid}`;
    await saveInterestProfiles(mongo.db, [profile(`${p}-a`, 5, 1000), profile(`${p}-b`, 5, 1000)]);

    // The stale entries come first: FerretDB stops an update batch at its first error, and the rest must still land.
    const written = await saveInterestProfiles(mongo.db, [
      profile(`${p}-a`, 4, 2000), // fewer events: stale
      profile(`${p}-b`, 5, 999), // as many events, decayed to an earlier time: stale
      profile(`${p}-c`, 1, 1000), // new
      profile(`${p}-d`, 2, 1000), // new
    ]);
    assert.deepEqual(written, [false, false, true, true]);
    const again = await saveInterestProfiles(mongo.db, [profile(`${p}-a`, 5, 1500), profile(`${p}-b`, 6, 10)]);
    assert.deepEqual(again, [true, true], 'a later decay or more events replace');

    const stored = await interestProfilesCollection(mongo.db)
      .find({ _id: { $in: [`${p}-a`, `${p}-b`, `${p}-c`, `${p}-d`] } })
      .sort({ _id: 1 })
      .toArray();
    assert.deepEqual(
      stored.map((d) => [d._id, d.appliedEvents, d.updatedAtMs]),
      [
        [`${p}-a`, 5, 1500],
        [`${p}-b`, 6, 10],
        [`${p}-c`, 1, 1000],
        [`${p}-d`, 2, 1000],
      ],
    );
  });

  it('creator stats are replaced only by the same or a later revision', async () => {
    const id = `creator-guard-${process.pid}`;
    const doc = (revision: number): CreatorStatsDoc => ({
      _id: id,
      revision,
      updatedAt: new Date(),
      stats: { revision } as unknown as CreatorStatsDoc['stats'],
    });
    assert.deepEqual(await saveCreatorStatsMany(mongo.db, [doc(7)]), [true]);
    assert.deepEqual(await saveCreatorStatsMany(mongo.db, [doc(6), doc(7)]), [false, true]);
    assert.equal((await creatorStatsCollection(mongo.db).findOne({ _id: id }))?.revision, 7);
    assert.deepEqual(await saveCreatorStatsMany(mongo.db, [doc(9)]), [true]);
    assert.equal((await creatorStatsCollection(mongo.db).findOne({ _id: id }))?.revision, 9);
  });

  it('a precomputed feed is not replaced by one computed earlier', async () => {
    const userId = `feed-guard-${process.pid}`;
    const feed = (computedAtMs: number): StoredFeed => ({
      items: [{ contentId: `c${computedAtMs}`, creatorId: 'x', score: 1 }],
      ranker: 'fallback',
      modelVersion: 'none',
      computedAtMs,
    });
    assert.deepEqual(await writeFeeds(redis, [{ userId, feed: feed(2000) }], 60), [true]);
    assert.deepEqual(await writeFeeds(redis, [{ userId, feed: feed(1000) }], 60), [false]);
    assert.equal((await readFeed(redis, userId))?.computedAtMs, 2000);
    assert.deepEqual(await writeFeeds(redis, [{ userId, feed: feed(3000) }], 60), [true]);
    assert.equal((await readFeed(redis, userId))?.computedAtMs, 3000);
  });
});
