/**
 * The project's own hot queries on FerretDB 1.24 with its PostgreSQL backend and with its SQLite backend, side by
 * side in one run, at 10k profile documents of about 1 KB (BENCH_STORE_DOCS): by _id, by an indexed field, $in of
 * 100 ids beside 100 lookups by _id, one guarded replace, bulk guarded upserts of 1,000 and insertMany of 1,000
 * events — each through the store functions the app calls (src/store/*). Prints ms per operation and the ratio SQLite / PostgreSQL.
 * Starts its own two throw-away FerretDB instances (and a PostgreSQL); not a test. Run: npm run bench -- store
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { startFerretDb, startFerretDbOnPostgres } from '../src/dev/ferretdb.js';
import { freePort } from '../src/dev/ports.js';
import type { ManagedProcess } from '../src/dev/process.js';
import { waitUntilReady } from '../src/dev/readiness.js';
import { DATA_DIR } from '../src/dev/tools.js';
import { emptyProfile } from '../src/domain/interest-profile.js';
import { insertNewEvents, type EventDoc } from '../src/store/events.js';
import {
  interestProfilesCollection,
  loadInterestProfile,
  loadInterestProfiles,
  saveInterestProfile,
  saveInterestProfiles,
  type InterestProfileDoc,
} from '../src/store/interest-profiles.js';
import { ensureIndexes } from '../src/store/mongo.js';

const DOCS = Number(process.env.BENCH_STORE_DOCS ?? 10_000);
/** Documents per bulk call. FerretDB/SQLite updates by scanning, so 1,000 guarded upserts there take ~1,000 single ones. */
const BULK = Number(process.env.BENCH_STORE_BULK ?? 1_000);
const TOPICS = 400;

interface Store {
  name: string;
  db: Db;
  close(): Promise<void>;
}

/** One operation's cost: repeated `times`, timed per call. */
interface Figure {
  label: string;
  msPerOp: Record<string, number>;
}

const root = mkdtempSync(join(DATA_DIR, 'bench-store-'));
chmodSync(root, 0o755); // the postgres user (when we are root) must reach its cluster inside
const stores: Store[] = [];
// Ctrl-C (or npm run bench's timeout) still stops the servers, which run in their own process groups.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void closeAll().finally(() => process.exit(130)));
}
try {
  stores.push(await startStore('postgresql', root), await startStore('sqlite', root));
  for (const store of stores) await load(store.db);
  const figures: Figure[] = [];
  const measure = async (label: string, times: number, op: (db: Db, i: number) => Promise<unknown>) => {
    const msPerOp: Record<string, number> = {};
    for (const store of stores) {
      await op(store.db, -1); // warm-up: connection, plan and cache
      const began = performance.now();
      for (let i = 0; i < times; i++) await op(store.db, i);
      msPerOp[store.name] = (performance.now() - began) / times;
    }
    figures.push({ label, msPerOp });
    printFigure(figures.at(-1) as Figure);
  };

  console.log(`${DOCS} interest profiles of ~${await averageDocBytes(stores[0] as Store)} bytes in each store\n`);
  console.log(
    `${'operation'.padEnd(44)} ${'PostgreSQL'.padStart(12)} ${'SQLite'.padStart(12)} ${'SQLite/PG'.padStart(10)}`,
  );
  await measure('findOne by _id (loadInterestProfile)', 50, (db, i) => loadInterestProfile(db, userId(pick(i))));
  await measure('findOne by indexed topTopics', 20, (db, i) =>
    interestProfilesCollection(db).findOne({ topTopics: topic(pick(i) % TOPICS) }),
  );
  const hundredIds = (i: number) => Array.from({ length: 100 }, (_, k) => userId(pick(i * 100 + k)));
  await measure('$in of 100 _ids (one query)', 2, (db, i) =>
    interestProfilesCollection(db)
      .find({ _id: { $in: hundredIds(i) } })
      .toArray(),
  );
  await measure('100 _ids, one lookup each (loadInterestProfiles)', 2, (db, i) =>
    loadInterestProfiles(db, hundredIds(i)),
  );
  let revision = 1_000;
  await measure('guarded replace by _id (saveInterestProfile)', 20, (db, i) =>
    saveInterestProfile(db, profileDoc(pick(i), ++revision)),
  );
  await measure(`bulk guarded upserts of ${BULK} (saveInterestProfiles)`, 2, (db) => {
    revision += 1;
    return saveInterestProfiles(
      db,
      Array.from({ length: BULK }, (_, k) => profileDoc(k * Math.floor(DOCS / BULK), revision)),
    );
  });
  let batch = 0;
  await measure(`insertMany of ${BULK} events (insertNewEvents)`, 3, (db) => insertNewEvents(db, events(++batch)));
  console.log('\nms per operation; the ratio is SQLite / PostgreSQL (above 1: PostgreSQL is faster).');
} finally {
  await closeAll();
}

async function closeAll(): Promise<void> {
  for (const store of stores.splice(0)) await store.close();
  rmSync(root, { recursive: true, force: true });
}

async function startStore(kind: 'postgresql' | 'sqlite', dir: string): Promise<Store> {
  const hostPort = { host: '127.0.0.1', port: await freePort() };
  const dataDir = join(dir, kind);
  let server: ManagedProcess;
  if (kind === 'postgresql') {
    const postgresPort = await freePort();
    server = (await startFerretDbOnPostgres({ hostPort, postgresPort, dataDir, logsDir: dir, disposable: true }))
      .process;
  } else {
    const backend = { kind, dir: join(dataDir, 'sqlite') } as const;
    server = startFerretDb({ hostPort, backend, stateDir: join(dataDir, 'state'), logFile: join(dir, 'sqlite.log') });
  }
  const client = new MongoClient(`mongodb://127.0.0.1:${hostPort.port}`);
  await waitUntilReady({
    service: `ferretdb/${kind}`,
    hostPort,
    process: server,
    ping: async () => void (await client.db('admin').command({ ping: 1 })),
    timeoutMs: 60_000,
  });
  const db = client.db('bench_store');
  await ensureIndexes(db);
  return {
    name: kind,
    db,
    async close() {
      await client.close();
      await server.stop();
    },
  };
}

async function load(db: Db): Promise<void> {
  const collection = interestProfilesCollection(db);
  for (let start = 0; start < DOCS; start += 1_000) {
    const docs = Array.from({ length: Math.min(1_000, DOCS - start) }, (_, k) => profileDoc(start + k, 1));
    await collection.insertMany(docs, { ordered: false });
  }
}

function profileDoc(n: number, appliedEvents: number): InterestProfileDoc {
  const topics = Object.fromEntries(Array.from({ length: 20 }, (_, k) => [topic((n + k * 7) % TOPICS), 20 - k]));
  return {
    ...emptyProfile(userId(n), 1_000 + appliedEvents),
    topics,
    appliedEvents,
    _id: userId(n),
    topTopics: Object.keys(topics).slice(0, 10),
    savedAt: new Date(),
  };
}

function events(batch: number): EventDoc[] {
  const now = new Date();
  return Array.from({ length: BULK }, (_, k) => ({
    _id: `e${batch}-${k}`,
    userId: userId(pick(k)),
    type: 'view',
    contentId: `c${k % 500}`,
    occurredAt: now,
    receivedAt: now,
    batchId: `b${batch}`,
  }));
}

async function averageDocBytes(store: Store): Promise<number> {
  const sample = await interestProfilesCollection(store.db).find().limit(20).toArray();
  return Math.round(sample.reduce((sum, doc) => sum + JSON.stringify(doc).length, 0) / sample.length);
}

function printFigure({ label, msPerOp }: Figure): void {
  const pg = msPerOp.postgresql ?? NaN;
  const sqlite = msPerOp.sqlite ?? NaN;
  console.log(
    `${label.padEnd(44)} ${pg.toFixed(1).padStart(12)} ${sqlite.toFixed(1).padStart(12)} ${(sqlite / pg).toFixed(1).padStart(9)}x`,
  );
}

/** A spread of documents across the collection (a prime stride), not the first ones only. */
function pick(i: number): number {
  return (Math.abs(i) * 7_919) % DOCS;
}

function userId(n: number): string {
  return `bench-user-${n}`;
}

function topic(n: number): string {
  return `topic-${n}`;
}
