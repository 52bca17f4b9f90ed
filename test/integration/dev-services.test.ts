import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { startFerretDbOnPostgres } from '../../src/dev/ferretdb.js';
import { ensureServices, TEST_START_ATTEMPTS } from '../../src/dev/services.js';
import { freePort } from '../../src/dev/ports.js';
import { findPostgresBinDir, FERRETDB_DATABASE, POSTGRES_USER } from '../../src/dev/postgres.js';
import { waitUntilReady } from '../../src/dev/readiness.js';
import { indexedValueTypeOf } from '../../src/dev/register-search-attributes.js';
import { DATA_DIR } from '../../src/dev/tools.js';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

/** The services scripts/run-tests.ts started for this run; never defaults that could be a developer's own. */
function requiredEnv(name: 'TEMPORAL_ADDRESS' | 'MONGO_URL' | 'REDIS_URL'): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run this file through \`npm test\`, which starts the services`);
  return value;
}

describe('local services started for the tests', () => {
  let temporal: Connection;
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';

  before(async () => {
    temporal = await Connection.connect({ address: requiredEnv('TEMPORAL_ADDRESS') });
  });
  after(async () => {
    await temporal?.close();
  });

  it('Temporal answers and serves the namespace', async () => {
    const info = await temporal.workflowService.getSystemInfo({});
    assert.ok(info.serverVersion, 'server reports a version');
    const described = await temporal.workflowService.describeNamespace({ namespace });
    assert.equal(described.namespaceInfo?.name, namespace);
  });

  it('Temporal has every custom search attribute registered with its type', async () => {
    const { customAttributes } = await temporal.operatorService.listSearchAttributes({ namespace });
    for (const key of ALL_SEARCH_ATTRIBUTES) {
      assert.equal(customAttributes?.[key.name], indexedValueTypeOf(key.type), `search attribute ${key.name}`);
    }
  });

  it('MongoDB is FerretDB on PostgreSQL, named by MONGO_BACKEND', async () => {
    const client = new MongoClient(requiredEnv('MONGO_URL'), { serverSelectionTimeoutMS: 5000 });
    try {
      const info = await client.db('admin').command({ buildInfo: 1 });
      assert.match(String(info.ferretdbVersion), /^v1\.24\./);
      assert.match(process.env.MONGO_BACKEND ?? '', /^PostgreSQL \d+/);
    } finally {
      await client.close();
    }
  });

  it('MongoDB (FerretDB) stores and reads back a document', async () => {
    const client = new MongoClient(requiredEnv('MONGO_URL'), { serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
      assert.equal((await client.db('admin').command({ ping: 1 })).ok, 1);
      const probes = client.db(`launcher_probe_${process.pid}`).collection<{ _id: string; n: number }>('probes');
      await probes.insertOne({ _id: 'p1', n: 1 });
      assert.deepEqual(await probes.findOne({ _id: 'p1' }), { _id: 'p1', n: 1 });
      await probes.drop();
    } finally {
      await client.close();
    }
  });

  it('Redis answers PING and keeps a key', async () => {
    const redis = new Redis(requiredEnv('REDIS_URL'), { maxRetriesPerRequest: 1 });
    try {
      assert.equal(await redis.ping(), 'PONG');
      const key = `launcher-probe:${process.pid}`;
      await redis.set(key, 'ok', 'EX', 60);
      assert.equal(await redis.get(key), 'ok');
      await redis.del(key);
    } finally {
      redis.disconnect();
    }
  });
});

/**
 * The launcher's store on ports picked free just before: another process can take one before FerretDB binds it (seen
 * in CI: "address already in use"), so a failed start is tried again on fresh ports and a fresh folder, as often as
 * ensureServices tries in test mode.
 */
async function startStoreOnFreshPorts(): Promise<{
  store: Awaited<ReturnType<typeof startFerretDbOnPostgres>>;
  client: MongoClient;
  dataDir: string;
  postgresPort: number;
}> {
  for (let attempt = 1; ; attempt++) {
    const dataDir = mkdtempSync(join(DATA_DIR, 'pg-launcher-'));
    chmodSync(dataDir, 0o755); // as .tools/data is: the postgres user must reach its cluster inside
    const [port, postgresPort] = [await freePort(), await freePort()];
    const hostPort = { host: '127.0.0.1', port };
    const client = new MongoClient(`mongodb://127.0.0.1:${port}`, { serverSelectionTimeoutMS: 5000 });
    let store: Awaited<ReturnType<typeof startFerretDbOnPostgres>> | undefined;
    try {
      store = await startFerretDbOnPostgres({ hostPort, postgresPort, dataDir, logsDir: dataDir, disposable: true });
      await waitUntilReady({
        service: 'ferretdb',
        hostPort,
        process: store.process,
        ping: async () => void (await client.db('admin').command({ ping: 1 })),
        timeoutMs: 60_000,
      });
      return { store, client, dataDir, postgresPort };
    } catch (error) {
      await client.close();
      await store?.process.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (attempt >= TEST_START_ATTEMPTS) throw error;
    }
  }
}

describe('FerretDB on PostgreSQL as the launcher starts it', () => {
  it('runs initdb into a fresh folder, stores documents as PostgreSQL rows, and stop() ends both servers', async () => {
    const { store, client, dataDir, postgresPort } = await startStoreOnFreshPorts();
    try {
      assert.match(store.backend, /^PostgreSQL \d+/);
      await client
        .db('probe')
        .collection('docs')
        .insertOne({ _id: 'a', n: 1 } as never);

      // The document is in PostgreSQL: FerretDB keeps each MongoDB database as a schema of its database.
      const psql = join(findPostgresBinDir(), 'psql');
      const sql = `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'probe'`;
      const { stdout } = await promisify(execFile)(psql, [
        ...['-h', join(dataDir, 'postgres'), '-p', String(postgresPort), '-U', POSTGRES_USER],
        ...['-d', FERRETDB_DATABASE, '-tAc', sql],
      ]);
      assert.ok(Number(stdout.trim()) >= 1, `tables in schema probe: ${stdout}`);
      // As root the cluster belongs to the postgres system user (initdb and postgres refuse root).
      if (process.getuid?.() === 0) assert.notEqual(statSync(join(dataDir, 'postgres')).uid, 0);
    } finally {
      await client.close();
      await store.process.stop();
    }
    assert.ok(store.process.hasExited(), 'FerretDB stopped');
    const postmasterPid = join(dataDir, 'postgres', 'postmaster.pid');
    assert.throws(() => statSync(postmasterPid), 'PostgreSQL shut down (it removes postmaster.pid on exit)');
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('restart(name) of started services', () => {
  it('keeps the data: a document across FerretDB and PostgreSQL, a workflow across Temporal', async () => {
    const services = await ensureServices({ mode: 'test', keepTemporalData: true, stopOnSignal: false });
    const env = { ...services.env };
    const workflowId = `restart-probe-${process.pid}`;
    try {
      await withMongo(services.env.MONGO_URL, (client) =>
        client
          .db('restart_probe')
          .collection('docs')
          .insertOne({ _id: 'kept', n: 1 } as never),
      );
      // No worker serves this queue: the workflow stays open, which is what a restart must keep.
      const started = await withTemporal(services.env.TEMPORAL_ADDRESS, (client) =>
        client.workflow.start('RestartProbe', { taskQueue: `restart-probe-${process.pid}`, workflowId }),
      );

      await services.restart('mongodb');
      await services.restart('temporal');

      assert.deepEqual(services.env, env, 'every service is back at its address');
      const doc = await withMongo(services.env.MONGO_URL, (client) =>
        client
          .db('restart_probe')
          .collection('docs')
          .findOne({ _id: 'kept' } as never),
      );
      assert.deepEqual(doc, { _id: 'kept', n: 1 });
      const described = await withTemporal(services.env.TEMPORAL_ADDRESS, (client) =>
        client.workflow.getHandle(workflowId).describe(),
      );
      assert.equal(described.runId, started.firstExecutionRunId);
      assert.equal(described.status.name, 'RUNNING');
    } finally {
      await services.stop();
    }
  });
});

async function withMongo<T>(url: string, use: (client: MongoClient) => Promise<T>): Promise<T> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 10_000 });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

async function withTemporal<T>(address: string, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new Client({ connection }));
  } finally {
    await connection.close();
  }
}
