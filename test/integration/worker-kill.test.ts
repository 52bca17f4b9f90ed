import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { REPO_ROOT } from '../../src/dev/tools.js';
import { eventsCollection } from '../../src/store/events.js';
import { interestProfilesCollection } from '../../src/store/interest-profiles.js';
import { connectMongo, type MongoStore } from '../../src/store/mongo.js';
import { connectTemporal, type TemporalClient } from '../../src/temporal/client.js';
import { workflowIds } from '../../src/temporal/workflow-ids.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually } from '../helpers/platform.js';

/**
 * A real worker process (npm run worker's entry) is SIGKILLed while it relays events and runs activities, then a
 * new one starts. Every workflow still completes (they go idle after a few seconds here), every event is applied
 * exactly once and each read model is written under one document.
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
  return spawn(process.execPath, ['--import', 'tsx', 'src/temporal/worker-main.ts'], {
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
    for (let i = 0; i < EVENTS_PER_USER; i += 10) {
      const events = users.flatMap((userId) =>
        Array.from({ length: 10 }, (_, k) => ({ eventId: `${userId}-${i + k}`, userId, type: 'view', occurredAt })),
      );
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: operator },
        payload: { events },
      });
      assert.equal(res.statusCode, 202, res.body);
    }

    // Kill as soon as the first profile is written: relaying, signalling and persisting are all under way.
    const profiles = interestProfilesCollection(mongo.db);
    await eventually(
      () => profiles.countDocuments({ _id: { $in: users } }),
      (n) => n > 0,
      'a first persisted profile',
    );
    first.kill('SIGKILL');
    await once(first, 'exit');

    workers.push(startWorkerProcess());
    const docs = await eventually(
      () => profiles.find({ _id: { $in: users } }).toArray(),
      (list) => list.length === USERS && list.every((d) => d.appliedEvents === EVENTS_PER_USER),
      `all ${USERS} profiles at ${EVENTS_PER_USER} events`,
      1_200,
    );
    assert.deepEqual(
      docs.map((d) => d.appliedEvents),
      users.map(() => EVENTS_PER_USER),
    );
    assert.equal(await eventsCollection(mongo.db).countDocuments({ userId: { $in: users } }), USERS * EVENTS_PER_USER);

    for (const userId of users) {
      const handle = temporal.client.workflow.getHandle(workflowIds.userInterest(userId));
      await eventually(
        async () => (await handle.describe()).status.name,
        (s) => s === 'COMPLETED',
        `${userId} completing`,
      );
    }
  });
});
