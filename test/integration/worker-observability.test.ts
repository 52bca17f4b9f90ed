import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { createIdentity } from '../../src/api/routes/identities/handle-claims.js';
import { connectTemporal, type TemporalClient } from '../../src/temporal/client.js';
import { connectMongo, type MongoStore } from '../../src/store/mongo.js';
import { outboxCollection } from '../../src/store/event-outbox.js';
import { workflowIds } from '../../workflows/ids.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually } from '../helpers/platform.js';
import { envOf, freeLoopbackPort, startProcess, waitForOk, type StartedProcess } from '../helpers/processes.js';

/**
 * The real worker process (src/worker/main.ts) on the test services: its operations endpoint, its one
 * JSON log stream with run ids on workflow and activity lines, and the API request id reaching the workflows.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `worker-obs-${process.pid}`,
  TEMPORAL_RANKING_TASK_QUEUE: `worker-obs-ranking-${process.pid}`,
  BATCH_SCORING_SCHEDULE_ID: `worker-obs-${process.pid}`,
  RELAY_INTERVAL_MS: '50',
  RATE_LIMIT_MAX: '100000',
});

describe('worker observability (real worker process)', () => {
  let worker: StartedProcess;
  let base: string;
  let app: ApiInstance;
  let temporal: TemporalClient;
  let mongo: MongoStore;

  before(async () => {
    const port = await freeLoopbackPort();
    base = `http://127.0.0.1:${port}`;
    worker = startProcess(
      ['--import', 'tsx', 'src/worker/main.ts'],
      envOf(config, { WORKER_PORT: String(port), LOG_LEVEL: 'debug' }),
    );
    app = buildApp(config);
    temporal = await connectTemporal(config);
    mongo = await connectMongo(config);
  });
  after(async () => {
    const code = await worker?.stop();
    await app?.close();
    await temporal?.connection.close();
    await mongo?.client.close();
    assert.equal(code, 0, `worker exit code; stderr: ${worker?.stderr()}`);
  });

  it('answers /health at once and /ready once Mongo, Redis, Temporal and both workers are up', async () => {
    const health = await waitForOk(`${base}/health`, worker);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await waitForOk(`${base}/ready`, worker);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    assert.deepEqual(body, {
      status: 'ready',
      checks: { mongo: 'up', redis: 'up', temporal: 'up', workers: 'up' },
    });
    assert.equal((await fetch(`${base}/nope`)).status, 404);
  });

  it('carries the API request id into the workflow it starts: memo, header log line, UI summary', async () => {
    await waitForOk(`${base}/ready`, worker);
    const requestId = `req-obs-${process.pid}`;
    const user = `obs-brain-${process.pid}`;
    // A follow needs a creator Brain Mode can resolve: an account with that handle.
    await createIdentity(mongo.db, `obs-creator-${process.pid}`, `obs${process.pid}`, {}, new Date());
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/brain/commands',
      headers: { authorization: await bearer(app, user), 'x-request-id': requestId },
      payload: { text: `follow @obs${process.pid}`, timezone: 'UTC' },
    });
    assert.equal(res.statusCode, 202, res.body);
    const commandId = (res.json() as { commandId: string }).commandId;
    const workflowId = workflowIds.brainCommand(commandId);

    const description = await temporal.client.workflow.getHandle(workflowId).describe();
    assert.equal(description.memo?.requestId, requestId);
    assert.match((await description.staticSummary()) ?? '', /^Brain Mode command /);
    assert.match((await description.staticDetails()) ?? '', /getStatus/);

    // The workflow's log line naming the request, with the run it belongs to (SDK workflow logger → pino).
    const started = await eventually(
      async () => worker.lines.find((l) => l.requestId === requestId && l.workflowId === workflowId),
      Boolean,
      'the worker to log the request id',
    );
    assert.equal(started?.runId, description.runId);
    assert.equal(started?.workflowType, 'brainCommandWorkflow');

    // Activity lines (SDK and app alike) carry the run and the activity type.
    const activityLine = await eventually(
      async () => worker.lines.find((l) => l.workflowId === workflowId && typeof l.activityType === 'string'),
      Boolean,
      'an activity log line of the command',
    );
    assert.equal(activityLine?.runId, description.runId);
    // Every line is pino JSON: nothing on stdout failed to parse (the SDK's text logger would).
    assert.equal(worker.stderr().trim(), '', 'no non-JSON output');
  });

  it('serves app and Temporal SDK metrics on /metrics: outbox depth, relay lag, signals, activity latency', async () => {
    await waitForOk(`${base}/ready`, worker);
    const user = `obs-events-${process.pid}`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: await bearer(app, user) },
      payload: { events: [{ eventId: `${user}-1`, userId: user, type: 'view', occurredAt: new Date().toISOString() }] },
    });
    assert.equal(res.statusCode, 202, res.body);
    await eventually(
      () => outboxCollection(mongo.db).countDocuments({}),
      (n) => n === 0,
      'the relay to drain',
    );

    const text = await eventually(
      async () => (await fetch(`${base}/metrics`)).text(),
      (t) =>
        /temporal_signals_total\{workflow="user-interest",outcome="ok"\} [1-9]/.test(t) &&
        /^worker_activity_duration_seconds_count\{activity_type="[A-Za-z]+",outcome="completed"\} [1-9]/m.test(t),
      'the relay signal and the workflow activities it caused to be counted',
    );
    assert.match(text, /^relay_outbox_depth 0$/m);
    assert.match(text, /^relay_lag_seconds 0$/m);
    assert.match(text, /^# TYPE batch_scoring_users_scored_total counter$/m);
    assert.match(text, /^# TYPE feed_ranker_fallbacks_total counter$/m);
    // From the SDK's Runtime exporter, appended to the same scrape.
    assert.match(text, /^temporal_[a-z_]+\{.*task_queue="worker-obs-/m);
    assert.match(text, /^process_cpu_user_seconds_total /m);
  });
});
