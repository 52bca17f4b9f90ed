import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId, type Document, type Filter } from 'mongodb';
import { connectMongo, type MongoStore } from '../../src/store/mongo.js';
import { testConfig } from '../helpers/build-app.js';

/**
 * Every read model is read and written by _id, so a lookup by _id must cost the same at 2k documents as at 1M.
 * Stock FerretDB 1.24.2 on PostgreSQL filters `_id` with jsonb containment, which its unique _id index cannot
 * serve: each lookup scanned the whole table (6 ms a profile at 2k profiles during ingestion). Bootstrap builds it
 * patched to filter `_id` by equality (docs/store.md); these plans show the index in use.
 */
const config = testConfig(import.meta.filename);
const DOCS = 2_000;

interface Doc {
  _id: string;
  revision: number;
}

/** The plan's node types: PostgreSQL's (FerretDB explains with them) or MongoDB's stages. */
function planNodes(explained: Document): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if ((key === 'Node Type' || key === 'stage') && typeof inner === 'string') found.push(inner);
        walk(inner);
      }
    }
  };
  walk(explained);
  return found;
}

const usesIdIndex = (nodes: string[]) =>
  nodes.some((node) => /Index Scan|IDHACK|IXSCAN/.test(node)) && !nodes.some((node) => /Seq Scan|COLLSCAN/.test(node));

describe('document store lookups by _id (integration)', () => {
  let store: MongoStore;
  const collection = () => store.db.collection<Doc>('by_id');
  before(async () => {
    store = await connectMongo(config);
    await collection().insertMany(Array.from({ length: DOCS }, (_, i) => ({ _id: `doc${i}`, revision: i % 7 })));
  });
  after(async () => {
    await store.db.dropDatabase();
    await store.client.close(true);
  });

  const filters: [string, Filter<Doc>][] = [
    ['an _id', { _id: 'doc1234' }],
    ['an _id with $eq', { _id: { $eq: 'doc1234' } }],
    ['an _id and a revision guard, as guarded writes filter', { _id: 'doc1234', revision: { $lte: 6 } }],
  ];
  for (const [name, filter] of filters) {
    it(`finds by ${name} through the _id index, not a scan`, async () => {
      const nodes = planNodes(await collection().find(filter).explain());
      assert.ok(usesIdIndex(nodes), `plan nodes: ${nodes.join(', ')}`);
      assert.deepEqual(await collection().find(filter).toArray(), [{ _id: 'doc1234', revision: 1234 % 7 }]);
    });
  }

  it('finds nothing for an _id that is not stored, and ObjectId ids by value', async () => {
    assert.equal(await collection().findOne({ _id: 'doc-missing' }), null);
    const objects = store.db.collection<{ _id: ObjectId; n: number }>('by_object_id');
    const ids = [new ObjectId(), new ObjectId()];
    await objects.insertMany(ids.map((_id, n) => ({ _id, n })));
    assert.deepEqual(await objects.findOne({ _id: new ObjectId(ids[1]!.toHexString()) }), { _id: ids[1], n: 1 });
    assert.ok(usesIdIndex(planNodes(await objects.find({ _id: ids[0]! }).explain())));
  });
});
