import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FERRETDB_POOL_MAX_CONNS } from '../../src/dev/postgres.js';
import { replaceGuarded } from '../../src/store/bulk.js';
import { connectMongo, type MongoStore } from '../../src/store/mongo.js';
import { testConfig } from '../helpers/build-app.js';

/**
 * The document store stays live under the concurrency of a whole deployment. FerretDB 1.x answers an update or an
 * upsert while still holding the connection of the query that found the document, and takes a second one from its
 * PostgreSQL pool for the write: as many concurrent updates as the pool has connections each hold one and wait for
 * another, forever. Our clients' pools are sized so that cannot happen (docs/store.md); this is the load that hung
 * the worker-outage test when 100 workflows started at once.
 */
const config = testConfig(import.meta.filename);
const PROCESSES = 3; // the API, the worker and a relay, each with its own client
const WRITES_PER_PROCESS = 120;

describe('document store under concurrent writes (integration)', () => {
  const stores: MongoStore[] = [];
  before(async () => {
    for (let i = 0; i < PROCESSES; i++) stores.push(await connectMongo(config));
  });
  after(async () => {
    await stores[0]?.db.dropDatabase();
    await Promise.all(stores.map((store) => store.client.close(true)));
  });

  // The timeout turns a deadlocked store into a failure instead of a hung run; it is not a speed target.
  it(
    'completes as many concurrent upserts and updates as three processes send at once',
    { timeout: 120_000 },
    async () => {
      const collection = (store: MongoStore) => store.db.collection<{ _id: string; n: number }>('pool_pressure');
      const ids = (p: number) => Array.from({ length: WRITES_PER_PROCESS }, (_, i) => `p${p}-doc${i}`);
      const writeAll = (update: (store: MongoStore, id: string) => Promise<unknown>) =>
        Promise.all(stores.flatMap((store, p) => ids(p).map((id) => update(store, id))));

      // Filler makes each update's query take a while, and concurrent reads first open every connection a client's
      // pool allows (a driver opens them two at a time), as a busy deployment's clients have.
      const filler = Array.from({ length: 1_000 }, (_, i) => ({ _id: `filler${i}`, n: 0 }));
      await collection(stores[0]!).insertMany(filler);
      for (let round = 0; round < 2; round++) {
        await Promise.all(stores.flatMap((store) => ids(0).map(() => collection(store).countDocuments({ n: 0 }))));
      }

      await writeAll((store, id) => collection(store).updateOne({ _id: id }, { $set: { n: 1 } }, { upsert: true }));
      await writeAll((store, id) => collection(store).updateOne({ _id: id }, { $inc: { n: 1 } }));

      const docs = await collection(stores[0]!)
        .find({ n: { $gt: 0 } })
        .toArray();
      assert.equal(docs.length, PROCESSES * WRITES_PER_PROCESS);
      assert.deepEqual(new Set(docs.map((d) => d.n)), new Set([2]));
    },
  );

  // One bulk call of guarded replaces, as the workers' read-model flushes send (up to 500). Stock FerretDB 1.24.2 keeps
  // each statement's query, and its connection, open until the whole command returns, so a command with more
  // statements than the pool has connections hangs the store for good; bootstrap builds it patched (docs/store.md).
  it(
    'completes one bulk write with more guarded replaces than the store has PostgreSQL connections',
    { timeout: 120_000 },
    async () => {
      const collection = stores[0]!.db.collection<{ _id: string; revision: number }>('bulk_pressure');
      const count = 2 * FERRETDB_POOL_MAX_CONNS;
      const docs = (revision: number) => Array.from({ length: count }, (_, i) => ({ _id: `doc${i}`, revision }));
      await collection.insertMany(docs(1));

      const written = await replaceGuarded(
        collection,
        docs(2).map((doc) => ({ doc, newerThanStored: { revision: { $lte: doc.revision } } })),
      );

      assert.equal(written.filter(Boolean).length, count);
      assert.equal(await collection.countDocuments({ revision: 2 }), count);
    },
  );
});
