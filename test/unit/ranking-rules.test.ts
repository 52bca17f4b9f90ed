import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyFeedRules,
  byScore,
  DEFAULT_FEED_RULES,
  diversified,
  withCreatorBoost,
  withoutBlockedCreators,
  withoutSeen,
  type ScoredItem,
} from '../../src/ranking/rules.js';

const item = (contentId: string, creatorId: string, score: number, creatorScore = 0): ScoredItem => ({
  contentId,
  creatorId,
  score,
  creatorScore,
});
const ids = (items: readonly ScoredItem[]) => items.map((i) => i.contentId);
const creators = (items: readonly ScoredItem[]) => items.map((i) => i.creatorId).join('');

describe('feed rules', () => {
  it('drops blocked creators and seen items', () => {
    const items = [item('a', 'x', 3), item('b', 'y', 2), item('c', 'z', 1)];
    assert.deepEqual(ids(withoutBlockedCreators(items, new Set(['y']))), ['a', 'c']);
    assert.deepEqual(ids(withoutSeen(items, new Set(['a', 'c']))), ['b']);
    const ruled = applyFeedRules(items, {
      ...DEFAULT_FEED_RULES,
      blockedCreators: new Set(['x']),
      seenContent: new Set(['c']),
    });
    assert.deepEqual(ids(ruled), ['b']);
  });

  it('orders best first, ties by contentId, NaN last', () => {
    assert.deepEqual(ids(byScore([item('b', 'x', 1), item('n', 'x', NaN), item('a', 'y', 1), item('c', 'z', 2)])), [
      'c',
      'a',
      'b',
      'n',
    ]);
  });

  it('never lets one creator run longer than the limit while others remain', () => {
    const ranked = [
      item('1', 'A', 9),
      item('2', 'A', 8),
      item('3', 'A', 7),
      item('4', 'A', 6),
      item('5', 'B', 5),
      item('6', 'C', 4),
    ];
    assert.equal(creators(diversified(ranked, 2)), 'AABAAC');
    assert.equal(creators(diversified(ranked, 1)), 'ABACAA');
    assert.equal(creators(diversified(ranked, 10)), 'AAAABC');
  });

  it('postpones, never drops, and keeps best-first order otherwise', () => {
    const ranked = [item('1', 'A', 9), item('2', 'B', 8), item('3', 'B', 7), item('4', 'B', 6), item('5', 'A', 5)];
    const out = diversified(ranked, 2);
    assert.deepEqual(ids(out), ['1', '2', '3', '5', '4']);
    assert.equal(new Set(ids(out)).size, ranked.length);
  });

  it('boosts by creator score, enough to break near ties only', () => {
    const boosted = withCreatorBoost([item('a', 'x', 1.0, 90), item('b', 'y', 1.05, 10)], 0.1);
    assert.deepEqual(ids(byScore(boosted)), ['a', 'b']);
    assert.equal(boosted[0]?.score, 1.0 + 0.09);
    const far = withCreatorBoost([item('a', 'x', 1.0, 100), item('b', 'y', 2.0, 0)], 0.1);
    assert.deepEqual(ids(byScore(far)), ['b', 'a']);
    assert.equal(withCreatorBoost([item('a', 'x', 1, 500)], 0.1)[0]?.score, 1.1, 'creator score is capped at 100');
  });

  it('applies filters, boost, order and diversity together', () => {
    const items = [
      item('a1', 'A', 5, 50),
      item('a2', 'A', 4.9, 50),
      item('a3', 'A', 4.8, 50),
      item('b1', 'B', 4.85, 0),
      item('s', 'C', 9, 0),
      item('x', 'X', 8, 0),
    ];
    const rules = { ...DEFAULT_FEED_RULES, blockedCreators: new Set(['X']), seenContent: new Set(['s']) };
    assert.deepEqual(ids(applyFeedRules(items, rules)), ['a1', 'a2', 'b1', 'a3']);
  });
});
