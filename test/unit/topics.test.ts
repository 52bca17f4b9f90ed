import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createRequire } from 'node:module';

import {
  EMPTY_CATALOG,
  documentStems,
  extractTopics,
  normalizeTopic,
  normalizeTopics,
  type CatalogStats,
} from '../../src/nlp/topics.js';

const carbonara = {
  title: 'Easy homemade pasta carbonara: cooking tips from a Roman chef',
  description:
    "In today's video I'm cooking a classic carbonara with guanciale, eggs and pecorino. We don't use cream! " +
    "The chef's secret is tempering the eggs so the sauce stays silky. Cooked in 15 minutes, perfect for a " +
    'weeknight dinner. Cooking pasta well is all about the pasta water.',
};

// natural's own English list, loaded the way src/nlp/topics.ts loads it (the package index has import side effects).
const { words } = createRequire(import.meta.url)('natural/lib/natural/util/stopwords.js') as { words: string[] };
const stopwords = new Set(words);

describe('normalizeTopic', () => {
  it('turns tags into lowercase ASCII slugs', () => {
    assert.equal(normalizeTopic('#Street Food'), 'street-food');
    assert.equal(normalizeTopic('  Crème Brûlée '), 'creme-brulee');
    assert.equal(normalizeTopic('K-Pop!!'), 'k-pop');
    assert.equal(normalizeTopic('__proto__'), 'proto');
    assert.equal(normalizeTopic(' #!? '), null);
  });

  it('de-duplicates after normalising, keeping the first order', () => {
    assert.deepEqual(normalizeTopics(['Cooking', 'cooking ', '#Travel', '', 'COOKING']), ['cooking', 'travel']);
  });
});

describe('extractTopics', () => {
  it('finds cooking topics in a cooking video description, and never a stop word', () => {
    const topics = extractTopics(carbonara, EMPTY_CATALOG).map((t) => t.topic);
    assert.ok(topics.includes('carbonara'), topics.join());
    assert.ok(topics.includes('pasta'), topics.join());
    assert.ok(topics.includes('cooking'), topics.join());
    for (const topic of topics) {
      assert.ok(!stopwords.has(topic), `stop word ${topic}`);
      assert.match(topic, /^[a-z][a-z0-9-]*$/);
      assert.ok(!['today', 'video', 'don', 'chef-s', '15'].includes(topic), topic);
    }
  });

  it('labels a stem with its most frequent spelling', () => {
    const topics = extractTopics(carbonara, EMPTY_CATALOG, 20).map((t) => t.topic);
    assert.ok(topics.includes('cooking'));
    assert.ok(!topics.includes('cooked') && !topics.includes('cook'));
  });

  it('keeps every tag, normalised and ranked above the text, folding matching words into a tag', () => {
    const topics = extractTopics(
      { ...carbonara, tags: ['#Italian Food', 'Cooking', 'Weeknight Dinners'] },
      EMPTY_CATALOG,
      5,
    );
    assert.equal(topics.length, 5);
    assert.deepEqual(
      topics.slice(0, 3).map((t) => [t.topic, t.source]),
      [
        ['cooking', 'tag'],
        ['italian-food', 'tag'],
        ['weeknight-dinners', 'tag'],
      ],
    );
    assert.ok(topics[0]!.score > topics[1]!.score, 'words of the text matching a tag strengthen it');
    assert.equal(topics.filter((t) => t.topic === 'cooking').length, 1);
    assert.ok(topics.slice(3).every((t) => t.source === 'text' && t.score <= 1));
  });

  it('keeps tags even when they exceed the limit', () => {
    const topics = extractTopics({ description: 'Guitar lesson', tags: ['rock', 'blues', 'metal'] }, EMPTY_CATALOG, 2);
    assert.deepEqual(topics.map((t) => t.topic).sort(), ['blues', 'metal', 'rock']);
  });

  it('lets TF-IDF demote words that are common in the catalog', () => {
    const doc = { description: 'Sunset drone footage over the fjords of Norway, drone flying tips.' };
    const plain = extractTopics(doc, EMPTY_CATALOG).map((t) => t.topic);
    assert.equal(plain[0], 'drone');
    const catalog: CatalogStats = { docCount: 10_000, docFreq: { drone: 9_000, fjord: 3 } };
    const ranked = extractTopics(doc, catalog).map((t) => t.topic);
    assert.ok(ranked.indexOf('fjords') < ranked.indexOf('drone'), ranked.join());
  });

  it('tolerates odd catalog stats (df above N, prototype keys)', () => {
    const catalog: CatalogStats = { docCount: 2, docFreq: { guitar: 50 } };
    const topics = extractTopics({ description: 'Constructor toString guitar guitar' }, catalog);
    assert.ok(topics.every((t) => Number.isFinite(t.score) && t.score > 0));
    assert.ok(topics.some((t) => t.topic === 'constructor'));
  });

  it('returns nothing for an empty or all-stop-word document', () => {
    assert.deepEqual(extractTopics({}, EMPTY_CATALOG), []);
    assert.deepEqual(extractTopics({ description: 'It is what it is, and that was that. 2024!' }, EMPTY_CATALOG), []);
  });

  it('is deterministic', () => {
    assert.deepEqual(extractTopics(carbonara, EMPTY_CATALOG), extractTopics(carbonara, EMPTY_CATALOG));
  });
});

describe('documentStems', () => {
  it('lists the distinct stems to add to the catalog document frequencies', () => {
    const stems = documentStems(carbonara);
    assert.ok(stems.includes('cook') && stems.includes('carbonara') && stems.includes('egg'));
    assert.equal(new Set(stems).size, stems.length);
    assert.ok(!stems.includes('the') && !stems.includes('15'));
    assert.deepEqual([...stems].sort(), stems);
  });
});
