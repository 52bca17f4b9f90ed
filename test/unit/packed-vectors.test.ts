import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { packedScorer, packVector, topicHash } from '../../src/cache/packed-vectors.js';
import { cosineAgainst } from '../../src/domain/interest-profile.js';
import { pickSimilarUsers, rankSimilarUsers } from '../../src/domain/similar-users.js';

let state = 7;
const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
/** Up to 20 topics of 30, dislikes included; some names look like integers, which objects order first. */
const vector = (): Record<string, number> =>
  Object.fromEntries(
    Array.from({ length: Math.floor(random() * 20) }, () => {
      const t = Math.floor(random() * 30);
      return [t % 3 === 0 ? String(t) : `t${t}`, random() * 10 - 3];
    }),
  );

describe('packed topic vectors', () => {
  it('give exactly the similarity of the whole vector', () => {
    for (let i = 0; i < 300; i++) {
      const [own, other] = [vector(), vector()];
      assert.equal(packedScorer(own).similarity(packVector(other)), cosineAgainst(own)(other));
    }
    assert.equal(packedScorer({ a: 1 }).similarity(packVector({})), 0);
    assert.equal(packedScorer({}).similarity(packVector({ a: 1 })), 0);
  });

  it('rank candidates exactly as their plain vectors do, shared topics included', () => {
    for (let round = 0; round < 20; round++) {
      const own = { userId: 'u0', topics: vector() };
      const others = Array.from({ length: 50 }, (_, i) => ({ userId: `u${i + 1}`, topics: vector() }));
      const scorer = packedScorer(own.topics);
      const scored = others.map((o) => {
        const packed = packVector(o.topics);
        return { userId: o.userId, similarity: scorer.similarity(packed), packed };
      });
      const expected = rankSimilarUsers(own, others, 10);
      assert.deepEqual(
        pickSimilarUsers(own, scored, 10, (c) => scorer.shared(c.packed)),
        expected,
      );
      if (round === 0) assert.ok(expected.length > 0 && expected.some((s) => s.sharedTopics.length > 0));
    }
  });

  it('hash a topic name to 48 bits in two small integers, the same every time', () => {
    const [low, high] = topicHash('baking');
    assert.ok(low >= 0 && low < 2 ** 30 && high >= 0 && high < 2 ** 18);
    assert.deepEqual(topicHash('baking'), [low, high]);
    assert.notDeepEqual(topicHash('cooking'), [low, high]);
  });
});
