import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { ContentItem } from '../../src/api/schemas/content.js';
import { createRankingWorker } from '../../src/worker/workers.js';
import { assertProblem } from '../api/support/problem.js';
import { bearer, build, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';
import { uniqueId } from '../helpers/workflow-env.js';

/**
 * The operators' "score now" route through REST on the real services: it starts a batch-scoring run that the
 * workers in this process (entity workflows and the ranking activities) carry out, and the run is listed with the
 * users and items it scored.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: uniqueId('batch-runs-tq'),
  TEMPORAL_RANKING_TASK_QUEUE: uniqueId('batch-runs-ranking'),
  INTEREST_PERSIST_DEBOUNCE_MS: '50',
  RELAY_INTERVAL_MS: '50',
  RATE_LIMIT_MAX: '100000',
});

interface RunItem {
  runId: string;
  status: string;
  users: number;
  itemsScored: number;
  failures: number;
}

describe('operator batch-scoring route (integration)', () => {
  const app = build({ after }, config);
  let platform: Platform;
  let connection: NativeConnection;
  let ranking: { worker: Worker; done: Promise<void> };

  before(async () => {
    platform = await startPlatform(config);
    connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    const worker = await createRankingWorker({
      config,
      connection,
      deps: { db: platform.mongo.db, redis: platform.redis },
    });
    ranking = { worker, done: worker.run() };
    await app.ready();
  });
  after(async () => {
    ranking?.worker.shutdown();
    await ranking?.done;
    await connection?.close();
    await platform?.close();
  });

  it('POST /feed/batch-runs (operators only) runs a scoring pass, listed with what it scored', async () => {
    const creator = await bearer(app, uniqueId('creator'), ['creator']);
    const items: ContentItem[] = [];
    for (const [title, tags] of [
      ['Sourdough at home', ['baking']],
      ['Croissant lamination', ['baking', 'pastry']],
      ['Derby highlights', ['football']],
      ['Rye bread', ['baking']],
      ['Macarons', ['pastry']],
      ['Cup final', ['football']],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/content',
        headers: { authorization: creator },
        payload: { title, description: title, tags: [...tags], type: 'video' },
      });
      assert.equal(res.statusCode, 201, res.body);
      items.push(res.json<ContentItem>());
    }
    const users = [uniqueId('scored'), uniqueId('scored')];
    const occurredAt = new Date().toISOString();
    const events = users.flatMap((userId) =>
      // Likes of the first three; the three they have not seen are what the run can score for them.
      items
        .slice(0, 3)
        .map((item, i) => ({ eventId: `${userId}-${i}`, userId, type: 'like', contentId: item.id, occurredAt })),
    );
    const service = await bearer(app, 'ingest', ['service']);
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: service },
      payload: { events },
    });
    assert.equal(posted.statusCode, 202, posted.body);
    for (const userId of users) {
      await eventually(
        async () =>
          (
            await app.inject({
              url: `/api/v1/users/${userId}/interests`,
              headers: { authorization: await bearer(app, userId) },
            })
          ).statusCode,
        (status) => status === 200,
        `${userId}'s profile`,
      );
    }

    assertProblem(
      await app.inject({ method: 'POST', url: '/api/v1/feed/batch-runs', headers: { authorization: service } }),
      403,
      'forbidden',
    );
    const operator = await bearer(app, 'ops', ['operator']);
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/feed/batch-runs',
      headers: { authorization: operator },
    });
    assert.equal(started.statusCode, 202, started.body);
    const { workflowId } = started.json<{ workflowId: string }>();
    await platform.temporal.client.workflow.getHandle(workflowId).result();

    const runs = await app.inject({ url: '/api/v1/feed/batch-runs?limit=5', headers: { authorization: operator } });
    assert.equal(runs.statusCode, 200, runs.body);
    const run = runs.json<{ items: RunItem[] }>().items.find((r) => r.runId === workflowId);
    assert.ok(run, `the run is listed: ${runs.body}`);
    assert.deepEqual(
      { status: run.status, users: run.users, failures: run.failures },
      { status: 'completed', users: users.length, failures: 0 },
    );
    assert.ok(run.itemsScored > 0, JSON.stringify(run));
  });
});
