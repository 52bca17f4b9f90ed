import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { pino } from 'pino';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { contentCollection } from '../../src/store/content.js';
import { outboxCollection } from '../../src/store/event-outbox.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../../src/store/mongo.js';
import { connectTemporal, type TemporalClient } from '../../src/temporal/client.js';
import { relayOnce } from '../../src/ingestion/event-relay.js';
import { workflowIds } from '../../workflows/ids.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { terminateWorkflows } from '../helpers/platform.js';
import { uniqueId } from '../helpers/workflow-env.js';

/**
 * One relay round on the real services, read back from the workflows' histories: events of several requests are
 * grouped per user into as few signals as whole delivery parts allow (500 events at most each), and per creator
 * into one metrics signal. No worker runs,
 * so the histories hold exactly what the relay sent.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: uniqueId('relay-tq'),
  RATE_LIMIT_MAX: '100000',
});

describe('event relay rounds (integration)', () => {
  let app: ApiInstance;
  let mongo: MongoStore;
  let temporal: TemporalClient;
  const workflows = new Set<string>();

  before(async () => {
    app = buildApp(config);
    mongo = await connectMongo(config);
    await ensureIndexes(mongo.db);
    temporal = await connectTemporal(config);
  });
  after(async () => {
    if (temporal) await terminateWorkflows(temporal, workflows);
    await app?.close();
    await Promise.allSettled([mongo?.client.close(), temporal?.connection.close()]);
  });

  /** The sizes of the signals named `name` in the workflow's history. */
  async function signalSizes(workflowId: string, name: string, size: (arg: never) => number): Promise<number[]> {
    const { events } = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
    return (events ?? []).flatMap((e) => {
      const signal = e.workflowExecutionSignaledEventAttributes;
      if (signal?.signalName !== name) return [];
      const [payload] = signal.input?.payloads ?? [];
      return payload ? [size(defaultPayloadConverter.fromPayload(payload) as never)] : [];
    });
  }

  it("packs a user's events of a round into few signals of whole delivery parts, 500 events at most each", async () => {
    const [busy, light, creator] = [uniqueId('busy'), uniqueId('light'), uniqueId('relay-creator')];
    [workflowIds.userInterest(busy), workflowIds.userInterest(light), workflowIds.creatorStats(creator)].forEach((id) =>
      workflows.add(id),
    );
    const occurredAt = new Date().toISOString();
    // Creator metrics credit the catalog's creator of the item viewed, never a creatorId the client names.
    const item = `${creator}-item`;
    await contentCollection(mongo.db).insertOne({
      _id: item,
      creatorId: creator,
      title: 'Relayed',
      description: '',
      tags: [],
      type: 'video',
      topics: [],
      createdAt: new Date(),
    });
    const service = await bearer(app, 'ingest', ['service']);
    // Three requests, each with 400 events of the busy user and 3 of the light one, who views the creator's items.
    for (let r = 0; r < 3; r++) {
      const events = [
        ...Array.from({ length: 400 }, (_, i) => ({
          eventId: `${busy}-${r}-${i}`,
          userId: busy,
          type: 'view',
          occurredAt,
        })),
        ...Array.from({ length: 3 }, (_, i) => ({
          eventId: `${light}-${r}-${i}`,
          userId: light,
          type: 'view',
          contentId: item,
          occurredAt,
        })),
      ];
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: service },
        payload: { events },
      });
      assert.equal(res.statusCode, 202, res.body);
    }
    const outbox = outboxCollection(mongo.db);
    assert.equal(await outbox.countDocuments({}), 3, 'three requests, three outbox entries');

    const relayed = await relayOnce({
      db: mongo.db,
      temporal: temporal.client,
      config,
      logger: pino({ level: 'silent' }),
    });
    assert.equal(relayed, 1_209);
    assert.equal(await outbox.countDocuments({}), 0, 'every entry closed after its signals');

    const events = (batch: { events: unknown[] }) => batch.events.length;
    // A delivery part (one request's events of a user) is never split across signals, so the workflow can drop a
    // re-delivered part whole: three parts of 400 cannot share a 500-event signal, three parts of 3 share one.
    const busySignals = await signalSizes(workflowIds.userInterest(busy), 'engagements', events);
    assert.deepEqual(busySignals, [400, 400, 400]);
    assert.deepEqual(await signalSizes(workflowIds.userInterest(light), 'engagements', events), [9]);
    assert.equal(
      (await signalSizes(workflowIds.creatorStats(creator), 'creatorMetrics', () => 1)).length,
      1,
      "one metrics signal for the creator's nine views",
    );
  });
});
