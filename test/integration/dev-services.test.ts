import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { indexedValueTypeOf } from '../../src/dev/register-search-attributes.js';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes.js';

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
