import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { REPO_ROOT } from '../../src/dev/tools.js';
import { outboxCollection } from '../../src/store/event-outbox.js';
import { eventsCollection } from '../../src/store/events.js';
import { interestProfilesCollection } from '../../src/store/interest-profiles.js';
import { connectMongo, type MongoStore } from '../../src/store/mongo.js';
import { connectTemporal, type TemporalClient } from '../../src/temporal/client.js';
import { workflowIds } from '../../workflows/ids.js';
import { getProfileQuery } from '../../workflows/user-interest/messages.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually } from '../helpers/platform.js';

/**
 * A real worker process (npm run worker's entry) is SIGKILLed while it relays events and runs activities, then a
 * new one starts. The kill lands while work is in flight (outbox entries not yet relayed, profiles not complete);
 * afterwards every workflow still completes (they go idle after a few seconds here), and the counts read after
 * that show every event applied exactly once.
 */
const USERS = 12;
const EVENTS_PER_USER = 40;
const env = {
  TEMPORAL_TASK_QUEUE: `worker-kill-${process.pid}`,
  INTEREST_PERSIST_DEBOUNCE_MS: '20',
  INTEREST_IDLE_DAYS: String(8 / 86_400), // 8 seconds
  RELAY_INTERVAL_MS: '20',
  RATE_LIMIT_MAX: '100000',
};
const config = testConfig(import.meta.filename, env);

function startWorkerProcess(): ChildProcess {
  const childEnv = { ...process.env, ...env, MONGO_DB: config.MONGO_DB, REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX };
  return spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...childEnv, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

describe('worker killed mid-work (integration)', () => {
  let app: ApiInstance;
  let mongo: MongoStore;
  let temporal: TemporalClient;
  const workers: ChildProcess[] = [];
  const users = Array.from({ length: USERS }, (_, u) => `kill-${process.pid}-u${u}`);

  before(async () => {
    app = buildApp(config);
    await app.ready();
    mongo = await connectMongo(config);
    temporal = await connectTemporal(config);
  });
  after(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await app?.close();
    await Promise.allSettled([mongo?.client.close(), temporal?.connection.close()]);
  });

  it('applies every event exactly once and completes every workflow after a SIGKILL and restart', async () => {
    const first = startWorkerProcess();
    workers.push(first);
    const operator = await bearer(app, 'ops', ['operator']);
    const occurredAt = new Date().toISOString();
    const postSlice = async (from: number) => {
      const events = users.flatMap((userId) =>
        Array.from({ length: 10 }, (_, k) => ({ eventId: `${userId}-${from + k}`, userId, type: 'view', occurredAt })),
      );
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: operator },
        payload: { events },
      });
      assert.equal(res.statusCode, 202, res.body);
    };

    // The first slice shows the worker at work (a profile persisted); the rest arrive while it runs, and it dies
    // straight after the last one was accepted.
    const profiles = interestProfilesCollection(mongo.db);
    await postSlice(0);
    await eventually(
      () => profiles.countDocuments({ _id: { $in: users } }),
      (n) => n > 0,
      'a first persisted profile',
    );
    for (let i = 10; i < EVENTS_PER_USER; i += 10) await postSlice(i);
    first.kill('SIGKILL');
    await once(first, 'exit');

    // Nothing moves while no worker runs (the relay lives in the worker process): this is the state it died in.
    const outbox = outboxCollection(mongo.db);
    const atKill = {
      outbox: await outbox.countDocuments({}),
      applied: (await profiles.find({ _id: { $in: users } }).toArray()).map((d) => d.appliedEvents),
    };
    assert.ok(atKill.outbox > 0, `work was still queued when the worker died: ${JSON.stringify(atKill)}`);
    assert.ok(atKill.applied.length > 0, 'some profiles were written before the kill');
    assert.ok(
      atKill.applied.length < USERS || atKill.applied.some((n) => n < EVENTS_PER_USER),
      `some profiles were incomplete when the worker died: ${JSON.stringify(atKill)}`,
    );

    workers.push(startWorkerProcess());
    // Done means: nothing left to relay and every user's workflow has gone idle and completed. The counts are read
    // only afterwards, so a late redelivery or a double count would show in them.
    const handles = users.map((userId) => temporal.client.workflow.getHandle(workflowIds.userInterest(userId)));
    await eventually(
      async () => ({
        outbox: await outbox.countDocuments({}),
        statuses: await Promise.all(handles.map(async (h) => (await h.describe().catch(() => null))?.status.name)),
      }),
      (state) => state.outbox === 0 && state.statuses.every((s) => s === 'COMPLETED'),
      'the outbox drained and every workflow completed',
      1_200,
    );

    const docs = await profiles.find({ _id: { $in: users } }).toArray();
    assert.deepEqual(
      Object.fromEntries(docs.map((d) => [d._id, d.appliedEvents])),
      Object.fromEntries(users.map((u) => [u, EVENTS_PER_USER])),
      'every profile counts each of its events once',
    );
    assert.equal(await eventsCollection(mongo.db).countDocuments({ userId: { $in: users } }), USERS * EVENTS_PER_USER);
    const views = await Promise.all(handles.map((h) => h.query(getProfileQuery)));
    assert.deepEqual(
      views.map((v) => v.profile.appliedEvents),
      users.map(() => EVENTS_PER_USER),
      "each completed run's own state agrees with its read model",
    );
  });
});
