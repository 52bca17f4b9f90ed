import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createIdentityActivities } from '../../activities/identity.js';
import { findIdentity } from '../../src/store/identities.js';
import { connectMongo, type MongoStore } from '../../src/store/mongo.js';
import { createRedis } from '../../src/store/redis.js';
import { signalCreatorFollowed, signalFirstEngagement } from '../../src/temporal/signals.js';
import { createPowerstreamWorker } from '../../src/temporal/worker.js';
import { workflowIds } from '../../src/temporal/workflow-ids.js';
import { getProfileQuery } from '../../workflows/user-interest/messages.js';
import { bearer, build, testConfig } from '../helpers/build-app.js';
import { bundleWorkflows, uniqueId } from '../helpers/workflow-env.js';
import { assertProblem } from '../api/support/problem.js';

/**
 * The identity routes against the real dev server with a worker in this process: the API's signals drive the
 * onboarding and verification workflows, and their activities write back to the identity.
 */
const config = testConfig(import.meta.filename, { TEMPORAL_TASK_QUEUE: uniqueId('identity-tq') });
const run = uniqueId('r')
  .replace(/[^A-Za-z0-9]/g, '')
  .slice(-10);

describe('identity workflows through the API (real Temporal, worker in process)', () => {
  const app = build({ after }, config);
  let mongo: MongoStore;
  let worker: Worker;
  let native: NativeConnection;
  let running: Promise<void>;
  let connection: Connection;
  let client: Client;
  const redis = createRedis(config);

  before(async () => {
    mongo = await connectMongo(config);
    native = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    worker = await createPowerstreamWorker({
      config,
      connection: native,
      deps: { db: mongo.db, redis },
      workflowBundle: await bundleWorkflows(),
    });
    running = worker.run();
    connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
    client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    await app.ready();
  });
  after(async () => {
    // Workflows left open (the seeded user-interest one idles for days) are ended so the server stays clean.
    for (const id of started)
      await client.workflow
        .getHandle(id)
        .terminate('test finished')
        .catch(() => undefined);
    worker.shutdown();
    await running;
    await native.close();
    await connection.close();
    await mongo.client.close();
    redis.disconnect();
  });
  const started = new Set<string>();

  const call = async (
    method: 'GET' | 'POST',
    url: string,
    userId: string,
    roles: ('user' | 'creator' | 'operator')[],
    payload?: object,
  ) => app.inject({ method, url, payload, headers: { authorization: await bearer(app, userId, roles) } });

  it('walks onboarding from the handle claim to completion and seeds the interest profile', async () => {
    const userId = `newbie-${run}`;
    started.add(workflowIds.onboarding(userId)).add(workflowIds.userInterest(userId));
    assert.equal(
      (await call('POST', '/api/v1/identities', userId, ['user'], { handle: `newbie_${run}` })).statusCode,
      201,
    );
    const base = `/api/v1/identities/${userId}/onboarding`;
    assert.equal((await call('GET', base, userId, ['user'])).json().stage, 'pick_interests');

    const twice = ['Jazz', 'jazz', ' JAZZ', 'chess'];
    assertProblem(
      await call('POST', `${base}/interests`, userId, ['user'], { topics: twice }),
      422,
      'validation-failed',
    );
    const picked = await call('POST', `${base}/interests`, userId, ['user'], { topics: ['Jazz', 'chess', 'cooking'] });
    assert.equal(picked.statusCode, 202, picked.body);
    assert.equal((await call('GET', base, userId, ['user'])).json().stage, 'follow_creator');

    assert.equal(await signalCreatorFollowed(client, userId, `creator-${run}`), true);
    assert.equal(await signalFirstEngagement(client, userId, `e-${run}`), true);
    assert.equal(await client.workflow.getHandle(workflowIds.onboarding(userId)).result(), 'completed');
    assert.equal((await findIdentity(mongo.db, userId))?.onboarding?.stage, 'completed');
    assert.equal(await signalFirstEngagement(client, userId, `e2-${run}`), false, 'nothing left to advance');

    const { profile } = await client.workflow.getHandle(workflowIds.userInterest(userId)).query(getProfileQuery);
    assert.deepEqual(Object.keys(profile.topics).sort(), ['chess', 'cooking', 'jazz']);
  });

  it('lets a creator request verification once and an operator approve it, which sets the badge', async () => {
    const creator = `star-${run}`;
    started.add(workflowIds.verification(creator));
    started.add(workflowIds.onboarding(creator));
    assert.equal(
      (await call('POST', '/api/v1/identities', creator, ['creator'], { handle: `star_${run}` })).statusCode,
      201,
    );
    const url = `/api/v1/identities/${creator}/verification`;
    const evidence = { evidence: [{ kind: 'youtube', url: 'https://www.youtube.com/@star' }] };

    assertProblem(await call('POST', url, creator, ['user'], evidence), 403, 'forbidden');
    const bad = { evidence: [{ kind: 'youtube', url: 'https://evil.example.com/' }] };
    assert.deepEqual(
      assertProblem(await call('POST', url, creator, ['creator'], bad), 422, 'validation-failed').errors?.map(
        (e) => e.path,
      ),
      ['/evidence/0'],
    );
    const requested = await call('POST', url, creator, ['creator'], evidence);
    assert.equal(requested.statusCode, 201, requested.body);
    assertProblem(await call('POST', url, creator, ['creator'], evidence), 409, 'conflict');
    assert.equal((await call('GET', url, creator, ['creator'])).json().status, 'pending');
    assertProblem(await call('GET', '/api/v1/verifications', creator, ['creator']), 403, 'forbidden');
    const queued = await pendingQueue(`ops-${run}`);
    assert.ok(queued.includes(creator), `pending queue: ${queued.join(', ')}`);

    assertProblem(
      await call('POST', `${url}/decision`, creator, ['creator'], { decision: 'approve' }),
      403,
      'forbidden',
    );
    const decided = await call('POST', `${url}/decision`, `ops-${run}`, ['operator'], { decision: 'approve' });
    assert.equal(decided.statusCode, 202, decided.body);
    assert.equal(await client.workflow.getHandle(workflowIds.verification(creator)).result(), 'approved');

    const identity = await call('GET', `/api/v1/identities/${creator}`, `reader-${run}`, ['user']);
    assert.equal(identity.json().verified, true);
    assert.equal((await findIdentity(mongo.db, creator))?.verified?.by, `ops-${run}`);
    assert.match(
      assertProblem(await call('POST', url, creator, ['creator'], evidence), 409, 'conflict').detail,
      /already verified/,
    );
  });

  it('writes each notification once, honours a user who silenced reminders, and lists them for their owner', async () => {
    const { writeNotification } = createIdentityActivities({ db: mongo.db, redis, config });
    const userId = `quiet-${run}`;
    started.add(workflowIds.onboarding(userId));
    assert.equal(
      (await call('POST', '/api/v1/identities', userId, ['user'], { handle: `quiet_${run}` })).statusCode,
      201,
    );
    const reminder = { id: `n1-${run}`, recipient: userId, kind: 'onboarding_reminder', title: 't', body: 'b' };
    assert.equal(await writeNotification({ ...reminder, silencedBy: 'reminders' }), true);
    assert.equal(await writeNotification({ ...reminder, silencedBy: 'reminders' }), true, 'a retry');
    const list = async () =>
      (await call('GET', `/api/v1/identities/${userId}/notifications`, userId, ['user'])).json<{
        items: { id: string }[];
      }>().items;
    assert.deepEqual(
      (await list()).map((n) => n.id),
      [`n1-${run}`],
    );

    const prefs = {
      language: null,
      contentTypeOptOuts: [],
      notifications: { push: true, email: true, reminders: false },
    };
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/identities/${userId}/preferences`,
      payload: prefs,
      headers: { authorization: await bearer(app, userId) },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(await writeNotification({ ...reminder, id: `n2-${run}`, silencedBy: 'reminders' }), false);
    assert.deepEqual(
      (await list()).map((n) => n.id),
      [`n1-${run}`],
    );

    assertProblem(
      await call('GET', `/api/v1/identities/${userId}/notifications`, `other-${run}`, ['user']),
      403,
      'forbidden',
    );
    assertProblem(await call('GET', '/api/v1/operator-notifications', userId, ['user']), 403, 'forbidden');
    assert.equal((await call('GET', '/api/v1/operator-notifications', `ops-${run}`, ['operator'])).statusCode, 200);
  });

  /** Visibility is updated asynchronously after the search attribute upsert: re-read a few times before failing. */
  async function pendingQueue(operatorId: string): Promise<string[]> {
    let users: string[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      const res = await call('GET', '/api/v1/verifications?status=pending', operatorId, ['operator']);
      assert.equal(res.statusCode, 200, res.body);
      users = res.json<{ items: { userId: string }[] }>().items.map((i) => i.userId);
      if (users.length > 0) return users;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return users;
  }
});
