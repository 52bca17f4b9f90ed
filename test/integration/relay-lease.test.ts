import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { pino } from 'pino';
import { ingestDeadlineMs, storeEventBatch } from '../../src/store/event-batches.js';
import { eventKey } from '../../src/store/events.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../../src/store/mongo.js';
import { connectTemporal, type TemporalClient } from '../../src/temporal/client.js';
import { relayOnce } from '../../src/ingestion/event-relay.js';
import { workflowIds } from '../../workflows/ids.js';
import { testConfig } from '../helpers/build-app.js';

/**
 * Issue 14, finding 7: two relays over one outbox share the entries instead of both signalling each one. No worker
 * polls the task queue: the test counts the signals the relays send through the real Temporal client.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `relay-lease-${process.pid}`,
  RELAY_ENTRIES_PER_ROUND: '4',
});

describe('leased relay (integration)', () => {
  let mongo: MongoStore;
  let temporal: TemporalClient;
  const users = Array.from({ length: 24 }, (_, i) => `lease-${process.pid}-${i}`);

  before(async () => {
    mongo = await connectMongo(config);
    await ensureIndexes(mongo.db);
    temporal = await connectTemporal(config);
  });
  after(async () => {
    await Promise.all(
      users.map((u) =>
        temporal.client.workflow
          .getHandle(workflowIds.userInterest(u))
          .terminate('test finished')
          .catch(() => undefined),
      ),
    );
    await Promise.allSettled([temporal.connection.close(), mongo.client.close()]);
  });

  /** The real client, with its signal-with-start calls counted per workflow id. */
  function countingClient(counts: Map<string, number>): Client {
    const { client } = temporal;
    const workflow = new Proxy(client.workflow, {
      get(target, key, receiver) {
        if (key !== 'signalWithStart') return Reflect.get(target, key, receiver) as unknown;
        return (type: string, options: { workflowId: string }) => {
          counts.set(options.workflowId, (counts.get(options.workflowId) ?? 0) + 1);
          return target.signalWithStart(type, options as Parameters<typeof target.signalWithStart>[1]);
        };
      },
    });
    return new Proxy(client, { get: (t, k, r) => (k === 'workflow' ? workflow : (Reflect.get(t, k, r) as unknown)) });
  }

  it('two relays signal each entry once between them, and both take part', async () => {
    const now = new Date();
    for (const userId of users) {
      const eventId = `ev-${userId}`;
      const doc = { _id: eventKey(userId, eventId), eventId, userId, type: 'view' as const, occurredAt: now, receivedAt: now }; // prettier-ignore
      await storeEventBatch(mongo.db, randomUUID(), [doc], now, { deadlineMs: ingestDeadlineMs(config.OUTBOX_STALE_MS) }); // prettier-ignore
    }
    const counts = new Map<string, number>();
    const relayed = [0, 0];
    const drain = async (i: number) => {
      const deps = { db: mongo.db, temporal: countingClient(counts), config, logger: pino({ level: 'silent' }) };
      for (let n; (n = await relayOnce({ ...deps, owner: `relay-${i}` })) > 0;) relayed[i] = (relayed[i] ?? 0) + n;
    };
    await Promise.all([drain(0), drain(1)]);
    // Drained: a last pass finds nothing left (a lease held by a relay that stopped early would show here).
    assert.equal(await relayOnce({ db: mongo.db, temporal: countingClient(counts), config, logger: pino({ level: 'silent' }) }), 0); // prettier-ignore

    const ours = users.map((u) => counts.get(workflowIds.userInterest(u)) ?? 0);
    assert.deepEqual(ours, users.map(() => 1), 'every user signalled exactly once'); // prettier-ignore
    assert.ok(
      relayed.every((n) => n > 0),
      `both relays relayed entries: ${relayed.join(' + ')}`,
    );
  });
});
