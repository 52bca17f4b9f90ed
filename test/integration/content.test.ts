import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import type { ContentItem } from '../../src/api/schemas/content.js';
import { connectMongo, ensureIndexes, type MongoStore } from '../../src/store/mongo.js';
import { addDocumentToCatalogStats, catalogStatsFor } from '../../src/store/topic-stats.js';
import { documentStems } from '../../src/nlp/topics.js';
import { assertProblem } from '../api/support/problem.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { uniqueId } from '../helpers/workflow-env.js';

/** The content catalog through REST on the real services: roles, topic extraction on write, idempotency, paging. */
const config = testConfig(import.meta.filename, { RATE_LIMIT_MAX: '10000' });

const SOURDOUGH = {
  title: 'Sourdough bread at home',
  description: 'Feeding the starter, folding the dough and baking sourdough bread in a cast iron pot.',
  tags: ['Baking', '#Home Cooking'],
  type: 'video',
};

describe('content catalog (integration)', () => {
  let app: ApiInstance;
  let mongo: MongoStore;

  before(async () => {
    app = buildApp(config);
    mongo = await connectMongo(config);
    await ensureIndexes(mongo.db);
  });
  after(async () => {
    await app.close();
    await mongo.db.dropDatabase();
    await mongo.client.close();
  });

  async function publish(creatorId: string, body: object, headers: Record<string, string> = {}) {
    return app.inject({
      method: 'POST',
      url: '/api/v1/content',
      headers: { authorization: await bearer(app, creatorId, ['user', 'creator']), ...headers },
      payload: body,
    });
  }

  it('a creator publishes an item: 201, creatorId from the token, topics extracted and stored', async () => {
    const creator = uniqueId('chef');
    const res = await publish(creator, { ...SOURDOUGH, creatorId: 'someone-else' });
    assertProblem(res, 422, 'validation-failed'); // a creatorId in the body is not accepted at all

    const created = await publish(creator, SOURDOUGH);
    assert.equal(created.statusCode, 201, created.body);
    const item = created.json<ContentItem>();
    assert.equal(item.creatorId, creator);
    assert.equal(created.headers.location, `/api/v1/content/${item.id}`);
    assert.deepEqual(item.tags, ['baking', 'home-cooking']);
    assert.deepEqual(item.topics.slice(0, 2), ['baking', 'home-cooking'], 'tags come first');
    assert.ok(item.topics.includes('sourdough'), `text topics: ${item.topics.join(', ')}`);
    assert.ok(!item.topics.includes('the'), 'no stop words');

    const read = await app.inject({
      method: 'GET',
      url: `/api/v1/content/${item.id}`,
      headers: { authorization: await bearer(app, 'any-reader') },
    });
    assert.equal(read.statusCode, 200, read.body);
    assert.deepEqual(read.json(), item, 'stored as answered');

    // The catalog counted the document once per stem, for the TF-IDF of later items.
    const stats = await catalogStatsFor(mongo.db, documentStems(SOURDOUGH));
    assert.ok(stats.docCount >= 1);
    for (const stem of documentStems(SOURDOUGH)) assert.ok((stats.docFreq[stem] ?? 0) >= 1, stem);
  });

  it('later items are weighed against the catalog: a word every item has ranks below a rare one', async () => {
    const creator = uniqueId('blogger');
    for (let i = 0; i < 4; i++) {
      const res = await publish(creator, {
        title: `Recipe ${i}`,
        description: 'recipe recipe recipe kitchen',
        type: 'short',
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const res = await publish(creator, { title: 'Kimchi', description: 'recipe recipe fermentation', type: 'short' });
    const topics = res.json<ContentItem>().topics;
    assert.ok(topics.indexOf('fermentation') < topics.indexOf('recipe'), `ranked: ${topics.join(', ')}`);
  });

  it('publishes racing to count the same new words all succeed (no duplicate-key error escapes)', async () => {
    // Ten publishes at once, as the content route makes them, each creating the same new stems' documents.
    const outcomes = [];
    for (let round = 0; round < 3; round++) {
      const stems = [`racea${round}${process.pid}`, `raceb${round}${process.pid}`];
      outcomes.push(...(await Promise.allSettled(Array.from({ length: 10 }, () => addDocumentToCatalogStats(mongo.db, stems))))); // prettier-ignore
      const stats = await catalogStatsFor(mongo.db, stems);
      // Under FerretDB's non-atomic $inc concurrent counts are approximate (topic-stats.ts); each stem is counted.
      for (const stem of stems) assert.ok((stats.docFreq[stem] ?? 0) >= 1, stem);
    }
    const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
    assert.deepEqual(failed, []);
  });

  it('a plain user may not publish (403) and nothing is stored', async () => {
    const user = uniqueId('viewer');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/content',
      headers: { authorization: await bearer(app, user, ['user']) },
      payload: SOURDOUGH,
    });
    assertProblem(res, 403, 'forbidden');
    assert.equal(await mongo.db.collection('content').countDocuments({ creatorId: user }), 0);
  });

  it('a repeat with the same Idempotency-Key returns the first item and creates nothing', async () => {
    const creator = uniqueId('keyed');
    const key = { 'idempotency-key': uniqueId('key') };
    const first = await publish(creator, SOURDOUGH, key);
    assert.equal(first.statusCode, 201, first.body);
    const repeat = await publish(creator, { ...SOURDOUGH, title: 'A different title' }, key);
    assert.equal(repeat.statusCode, 201, repeat.body);
    assert.deepEqual(repeat.json(), first.json());
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => publish(creator, SOURDOUGH, { 'idempotency-key': 'raced-key' })),
    );
    const ids = new Set(concurrent.map((r) => r.json<ContentItem>().id));
    assert.equal(ids.size, 1, 'concurrent first requests meet on one item');
    assert.equal(await mongo.db.collection('content').countDocuments({ creatorId: creator }), 2);
  });

  it('404 for an unknown item; a creator’s items page newest first', async () => {
    const missing = await app.inject({
      method: 'GET',
      url: '/api/v1/content/no-such-item',
      headers: { authorization: await bearer(app, 'any-reader') },
    });
    assertProblem(missing, 404, 'not-found');

    const creator = uniqueId('prolific');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await publish(creator, { title: `Clip number ${i}`, type: 'short', tags: ['clips'] });
      ids.push(res.json<ContentItem>().id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { statusCode: number; body: string; json<T>(): T } = await app.inject({
        method: 'GET',
        url: `/api/v1/creators/${creator}/content?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: { authorization: await bearer(app, 'any-reader') },
      });
      assert.equal(page.statusCode, 200, page.body);
      const body = page.json<{ items: ContentItem[]; nextCursor: string | null }>();
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...ids].reverse());
  });
});
