import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSampled, toImpression } from '../../src/impressions/impression.js';
import type { ImpressionDoc } from '../../src/impressions/store.js';
import { joinFeedback, type Engagement } from '../../src/learning/feedback-join.js';
import { inversePropensityWeight, MAX_IPW, outcomeOf } from '../../src/learning/labels.js';
import { assignArm } from '../../src/learning/traffic-split.js';

const users = Array.from({ length: 2_000 }, (_, i) => `user-${i}`);

describe('traffic split', () => {
  it('keeps each user on one arm and sends about the configured share to the candidate', () => {
    const first = users.map((u) => assignArm(u, 0.2, 'exp-1'));
    assert.deepEqual(
      users.map((u) => assignArm(u, 0.2, 'exp-1')),
      first,
      'stable per user',
    );
    const share = first.filter((a) => a === 'candidate').length / users.length;
    assert.ok(share > 0.17 && share < 0.23, `candidate share ${share}`);
    const grown = users.map((u) => assignArm(u, 0.5, 'exp-1'));
    assert.ok(first.every((arm, i) => arm === 'current' || grown[i] === 'candidate'), 'raising the share only adds users'); // prettier-ignore
    const reshuffled = users.map((u) => assignArm(u, 0.2, 'exp-2'));
    assert.notDeepEqual(reshuffled, first, 'a new salt reshuffles');
    assert.ok(users.every((u) => assignArm(u, 0, 'exp-1') === 'current'));
  });
});

describe('impression sampling', () => {
  it('samples whole users at the configured rate', () => {
    const sampled = users.filter((u) => isSampled(u, 0.1));
    assert.ok(sampled.length > 150 && sampled.length < 250, `${sampled.length} of 2000`);
    assert.deepEqual(
      users.filter((u) => isSampled(u, 0.1)),
      sampled,
    );
    assert.equal(users.filter((u) => isSampled(u, 0)).length, 0);
    assert.equal(users.filter((u) => isSampled(u, 1)).length, users.length);
  });

  it('records positions in the whole feed, page offset included', () => {
    const items = [{ contentId: 'a', creatorId: 'x', score: 1 }, { contentId: 'b', creatorId: 'y', score: 0.5 }]; // prettier-ignore
    const page = { requestId: 'r', userId: 'u', atMs: 5, offset: 20, items, ranker: 'onnx', modelVersion: 'm', source: 'precomputed', arm: 'current' } as const; // prettier-ignore
    assert.deepEqual(toImpression(page).items, [
      { contentId: 'a', creatorId: 'x', position: 20 },
      { contentId: 'b', creatorId: 'y', position: 21 },
    ]);
  });
});

describe('feedback labels', () => {
  it('grades the strongest action and lets a negative gesture win', () => {
    assert.deepEqual([outcomeOf(['view', 'like']).gain, outcomeOf(['share']).gain, outcomeOf([]).gain], [2, 3, 0]);
    assert.deepEqual(outcomeOf(['view', 'hide']), { label: 'skipped', gain: 0, rejected: true, liked: false, shared: false }); // prettier-ignore
  });

  it('weights deeper positions by their inverse examination propensity, clipped', () => {
    assert.deepEqual([0, 1, 9].map(inversePropensityWeight), [1, 2, 10]);
    assert.equal(inversePropensityWeight(500), MAX_IPW);
  });
});

describe('joinFeedback', () => {
  const shown = (id: string, userId: string, atMs: number, contentIds: string[], offset = 0): ImpressionDoc => ({
    _id: id,
    requestId: `req-${id}`,
    userId,
    at: new Date(atMs),
    ranker: 'onnx',
    modelVersion: 'm1',
    source: 'online',
    arm: 'current',
    items: contentIds.map((contentId, i) => ({ contentId, creatorId: 'c', position: offset + i })),
  });
  const did = (userId: string, contentId: string, type: Engagement['type'], atMs: number): Engagement => ({ userId, contentId, type, atMs }); // prettier-ignore

  it('labels engagements inside the window, ignores earlier, later and other users', () => {
    const impressions = [shown('i1', 'u', 1_000, ['a', 'b', 'c', 'd'])];
    const { rows, pages } = joinFeedback(
      impressions,
      [
        did('u', 'a', 'like', 1_500),
        did('u', 'b', 'share', 900), // before it was shown
        did('u', 'c', 'like', 1_000 + 60_000), // after the window
        did('v', 'd', 'share', 1_200), // another user
      ],
      60_000,
    );
    assert.deepEqual(rows.map((r) => [r._id, r.label, r.gain]), [['i1:0', 'engaged', 2], ['i1:1', 'skipped', 0], ['i1:2', 'skipped', 0], ['i1:3', 'skipped', 0]]); // prettier-ignore
    assert.deepEqual([pages[0]?.engagedItems, pages[0]?.engagedAtK, pages[0]?.likes], [1, 1, 1]);
  });

  it('credits an engagement to the latest showing of the item only', () => {
    const impressions = [shown('i1', 'u', 1_000, ['a']), shown('i2', 'u', 2_000, ['a'])];
    const { rows } = joinFeedback(impressions, [did('u', 'a', 'like', 2_500)], 60_000);
    assert.deepEqual(rows.map((r) => [r._id, r.label]), [['i1:0', 'skipped'], ['i2:0', 'engaged']]); // prettier-ignore
  });

  it('counts engagement at k only on pages holding the first k positions', () => {
    const { pages } = joinFeedback([shown('deep', 'u', 1_000, ['a'], 30)], [did('u', 'a', 'view', 1_100)], 60_000);
    assert.deepEqual([pages[0]?.headPage, pages[0]?.engagedAtK, pages[0]?.engagedItems], [0, 0, 1]);
  });
});
