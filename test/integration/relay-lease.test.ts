import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { pino } from 'pino';
import { ingestDeadlineMs, storeEventBatch } from '../../src/store/event-batches.js';
import { outboxCollection } from '../../src/store/event-outbox.js';
import { eventKey } from '../../src/store/events.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../../src/store/mongo.js';
import { connectTemporal, type TemporalClient } from '../../src/temporal/client.js';
import { relayOnce, SIGNAL_CONCURRENCY, startEventRelay } from '../../src/ingestion/event-relay.js';
import { relayLeasesExpired, relayLeasesLost } from '../../src/ingestion/relay-metrics.js';
import { workflowIds } from '../../workflows/ids.js';
import { testConfig } from '../helpers/build-app.js';
import { eventually } from '../helpers/platform.js';

/**
 * Issue 14, finding 7: two relays over one outbox share the entries instead of both signalling each one. No worker
 * polls the task queue: the test counts the signals the relays send through the real Temporal client.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `relay-lease-${process.pid}`,
  RELAY_ENTRIES_PER_ROUND: '4',
  RELAY_LEASE_MS: '1000',
});

describe('leased relay (integration)', () => {
  let mongo: MongoStore;
  let temporal: TemporalClient;
  const users = Array.from({ length: 24 }, (_, i) => `lease-${process.pid}-${i}`);
  const slowUsers = Array.from({ length: 4 }, (_, i) => `lease-slow-${process.pid}-${i}`);
  // One more than the relay's senders, so the last one waits while the others are signalled.
  const busyUsers = Array.from({ length: SIGNAL_CONCURRENCY + 1 }, (_, i) => `lease-busy-${process.pid}-${i}`);
  const manyUsers = Array.from({ length: 60 }, (_, i) => `lease-many-${process.pid}-${i}`);
  const failingUser = `lease-failing-${process.pid}`;

  before(async () => {
    mongo = await connectMongo(config);
    await ensureIndexes(mongo.db);
    temporal = await connectTemporal(config);
  });
  after(async () => {
    await Promise.all(
      [...users, ...slowUsers, ...busyUsers, ...manyUsers, failingUser].map((u) =>
        temporal.client.workflow
          .getHandle(workflowIds.userInterest(u))
          .terminate('test finished')
          .catch(() => undefined),
      ),
    );
    await Promise.allSettled([temporal.connection.close(), mongo.client.close()]);
  });

  /**
   * The real client, with its signal-with-start calls counted per workflow id (and held back `delayMs` first);
   * `events` gets the number of events each call carried, per workflow id.
   */
  function countingClient(counts: Map<string, number>, delayMs = 0, events = new Map<string, number[]>()): Client {
    const { client } = temporal;
    const workflow = new Proxy(client.workflow, {
      get(target, key, receiver) {
        if (key !== 'signalWithStart') return Reflect.get(target, key, receiver) as unknown;
        return async (type: string, options: Parameters<typeof target.signalWithStart>[1]) => {
          counts.set(options.workflowId, (counts.get(options.workflowId) ?? 0) + 1);
          const carried = (options.signalArgs?.[0] as { events?: unknown[] } | undefined)?.events?.length ?? 0;
          events.set(options.workflowId, [...(events.get(options.workflowId) ?? []), carried]);
          await sleep(delayMs);
          return target.signalWithStart(type, options);
        };
      },
    });
    return new Proxy(client, { get: (t, k, r) => (k === 'workflow' ? workflow : (Reflect.get(t, k, r) as unknown)) });
  }

  type StoreCall = (...args: never[]) => Promise<unknown>;

  /** The real database, with `method` of the collection `name` replaced by what `replace` makes of it. */
  function overrideCollectionMethod(
    db: Db,
    name: string,
    method: string,
    replace: (original: StoreCall) => StoreCall,
  ): Db {
    return new Proxy(db, {
      get(target, key, receiver) {
        if (key !== 'collection') return Reflect.get(target, key, receiver) as unknown;
        return (collectionName: string) => {
          const collection = target.collection(collectionName);
          if (collectionName !== name) return collection;
          return new Proxy(collection, {
            get(c, k, r) {
              const value = Reflect.get(c, k, r) as unknown;
              return k === method ? replace((value as StoreCall).bind(c)) : value;
            },
          });
        };
      },
    });
  }

  /** The real database, with each lease renewal (an updateMany on the leases) held back `delayMs` first. */
  const slowLeaseRenewals = (db: Db, delayMs: number): Db =>
    overrideCollectionMethod(db, 'event_outbox_leases', 'updateMany', (updateMany) => async (...args) => {
      await sleep(delayMs);
      return updateMany(...args);
    });

  /** The real database, whose first lookup of an outbox payload fails as a store that went away would. */
  function failingFirstPayloadRead(db: Db): Db {
    let failed = false;
    return overrideCollectionMethod(db, 'event_outbox_payloads', 'findOne', (findOne) => async (...args) => {
      if (failed) return findOne(...args);
      failed = true;
      throw new Error('store unavailable');
    });
  }

  const leasesLost = async () => (await relayLeasesLost.get()).values[0]?.value ?? 0;
  const leasesExpired = async () => (await relayLeasesExpired.get()).values[0]?.value ?? 0;

  /** One ready outbox entry per user, one view each. */
  async function storeOneEventEach(userIds: string[]): Promise<void> {
    for (const userId of userIds) await storeEntry([userId]);
  }

  /** One ready outbox entry holding one view of each user (named after `tag`); returns its batchId. */
  async function storeEntry(userIds: string[], tag = 'ev'): Promise<string> {
    const now = new Date();
    const batchId = randomUUID();
    const docs = userIds.map((userId) => {
      const eventId = `${tag}-${userId}`;
      return { _id: eventKey(userId, eventId), eventId, userId, type: 'view' as const, occurredAt: now, receivedAt: now }; // prettier-ignore
    });
    await storeEventBatch(mongo.db, batchId, docs, now, { deadlineMs: ingestDeadlineMs(config.OUTBOX_STALE_MS) });
    return batchId;
  }

  it('two relays signal each entry once between them, and both take part', async () => {
    await storeOneEventEach(users);
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

  it('a round that outlasts its lease keeps its entries: a second relay takes none of them meanwhile', async () => {
    await storeOneEventEach(slowUsers);
    const counts = new Map<string, number>();
    const logger = pino({ level: 'silent' });
    // Each signal of relay A takes 3 lease lengths, so its round of all four entries outlasts the first lease thrice.
    const slowRound = relayOnce({ db: mongo.db, temporal: countingClient(counts, 3 * config.RELAY_LEASE_MS), config, logger, owner: 'relay-slow' }); // prettier-ignore
    let slowDone = false;
    void slowRound.finally(() => (slowDone = true));
    const started = Date.now();
    let takenMeanwhile = 0;
    let lastTryMs = 0;
    while (!slowDone) {
      await sleep(config.RELAY_LEASE_MS / 4);
      lastTryMs = Date.now() - started;
      takenMeanwhile += await relayOnce({ db: mongo.db, temporal: countingClient(counts), config, logger, owner: 'relay-fast' }); // prettier-ignore
    }
    assert.equal(await slowRound, slowUsers.length, 'the slow relay relayed its whole round');
    assert.ok(lastTryMs > 2 * config.RELAY_LEASE_MS, `the second relay tried after the first lease ran out (${lastTryMs} ms)`); // prettier-ignore
    assert.equal(takenMeanwhile, 0, 'the second relay took none of the leased entries');
    assert.deepEqual(
      slowUsers.map((u) => counts.get(workflowIds.userInterest(u)) ?? 0),
      slowUsers.map(() => 1),
      'every user signalled exactly once',
    );
  });

  it('a user whose signal still waits gets the events of entries leased meanwhile in that same signal', async () => {
    const counts = new Map<string, number>();
    const events = new Map<string, number[]>();
    const logger = pino({ level: 'silent' });
    const waiting = busyUsers.at(-1)!;
    // Every sender is held for 3 lease lengths by one of the first users while the last one waits for its turn.
    const first = await storeEntry(busyUsers);
    const relay = startEventRelay({ db: mongo.db, temporal: countingClient(counts, 3 * config.RELAY_LEASE_MS, events), config, logger, owner: 'relay-rolling' }); // prettier-ignore
    try {
      await eventually(
        async () => counts.size,
        (n) => n >= SIGNAL_CONCURRENCY,
        'every sender busy',
      );
      const second = await storeEntry([waiting], 'later');
      await eventually(
        () => outboxCollection(mongo.db).countDocuments({ _id: { $in: [first, second] } }),
        (left) => left === 0,
        'both entries delivered and closed',
      );
    } finally {
      await relay.stop();
    }
    assert.deepEqual(events.get(workflowIds.userInterest(waiting)), [2], 'one signal with the events of both entries');
    assert.deepEqual(
      busyUsers.map((u) => counts.get(workflowIds.userInterest(u)) ?? 0),
      busyUsers.map(() => 1),
      'every user signalled exactly once',
    );
  });

  it('a relay that cannot read what it leased gives the leases up at once, and another relay takes them', async () => {
    const batchId = await storeEntry([failingUser]);
    const counts = new Map<string, number>();
    const logger = pino({ level: 'silent' });
    const db = failingFirstPayloadRead(mongo.db);
    await assert.rejects(
      relayOnce({ db, temporal: countingClient(counts), config, logger, owner: 'relay-failing' }),
      /store unavailable/,
    );
    assert.equal(
      await mongo.db.collection<{ _id: string }>('event_outbox_leases').countDocuments({ _id: batchId }),
      0,
      'no lease left on the entry',
    );
    const expiredBefore = await leasesExpired();
    const relayed = await relayOnce({ db: mongo.db, temporal: countingClient(counts), config, logger, owner: 'relay-next' }); // prettier-ignore
    assert.equal(relayed, 1, 'the next relay took the entry without waiting for a lease to expire');
    assert.equal((await leasesExpired()) - expiredBefore, 0, 'and counted no lease as expired');
    assert.equal(counts.get(workflowIds.userInterest(failingUser)), 1, 'the user was signalled once');
  });

  it('counts no lease as lost when entries are delivered and closed while their leases are renewed', async () => {
    await storeOneEventEach(manyUsers);
    const counts = new Map<string, number>();
    const lostBefore = await leasesLost();
    // Four entries pending at a time (RELAY_ENTRIES_PER_ROUND), each closed soon after its signal, while every
    // renewal (every third of RELAY_LEASE_MS) takes most of that interval: entries pending when a renewal starts are
    // closed before it reaches the store.
    const db = slowLeaseRenewals(mongo.db, config.RELAY_LEASE_MS / 4);
    const relay = startEventRelay({ db, temporal: countingClient(counts, 40), config, logger: pino({ level: 'silent' }), owner: 'relay-closing' }); // prettier-ignore
    try {
      await eventually(
        async () => manyUsers.filter((u) => counts.has(workflowIds.userInterest(u))).length,
        (n) => n === manyUsers.length,
        'every user signalled',
      );
    } finally {
      await relay.stop();
    }
    assert.equal((await leasesLost()) - lostBefore, 0, 'no lease counted as lost');
  });
});
