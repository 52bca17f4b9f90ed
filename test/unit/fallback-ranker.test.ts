import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InterestProfile } from '../../src/domain/interest-profile.js';
import { FALLBACK_WEIGHTS, fallbackRanker, fallbackScore, fallbackScores } from '../../src/ranking/fallback-ranker.js';
import {
  buildFeatureMatrix,
  FEATURE_COUNT,
  FEATURE_NAMES,
  userFeatures,
  type Candidate,
  type RankItem,
} from '../../src/ranking/features.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2025, 2, 10, 20, 0);
const profile: InterestProfile = {
  userId: 'u',
  topics: { cooking: 5, travel: 2, news: -2 },
  contentTypes: { video: 1, short: 1, live: 0, image: 0, text: 0 },
  eventCounts: {
    view: 20,
    like: 2,
    share: 0,
    comment: 0,
    tip: 0,
    follow: 0,
    skip: 5,
    hide: 0,
    report: 0,
    watch_time: 0,
  },
  hours: new Array<number>(24).fill(1),
  updatedAtMs: NOW,
  lastEventAtMs: NOW,
  appliedEvents: 27,
};

function candidate(contentId: string, over: Partial<RankItem> = {}, follows = false, score = 30): Candidate {
  const item: RankItem = {
    contentId,
    creatorId: `creator-${contentId}`,
    type: 'video',
    topics: ['sports'],
    createdAtMs: NOW - 6 * HOUR,
    popularity: { views: 100, likes: 5, shares: 1, comments: 1 },
    ...over,
  };
  return { item, creator: { score, tier: 'silver' }, followsCreator: follows };
}

async function order(candidates: Candidate[]): Promise<string[]> {
  const matrix = buildFeatureMatrix(userFeatures(profile), candidates, NOW);
  const scores = await fallbackRanker.scoreBatch(matrix, candidates.length);
  return candidates
    .map((c, i) => ({ id: c.item.contentId, score: scores[i] ?? 0 }))
    .sort((a, b) => b.score - a.score)
    .map((s) => s.id);
}

describe('fallback ranker', () => {
  it('has a weight for every feature and scores a row as the weighted sum', () => {
    assert.deepEqual(Object.keys(FALLBACK_WEIGHTS).sort(), [...FEATURE_NAMES].sort());
    FEATURE_NAMES.forEach((name, f) => {
      const row = new Float32Array(FEATURE_COUNT);
      row[f] = 2;
      assert.equal(fallbackScore(row), 2 * FALLBACK_WEIGHTS[name], name);
    });
  });

  it('puts the user’s topics first and disliked topics last', async () => {
    const ranked = await order([
      candidate('news', { topics: ['news'] }),
      candidate('sports'),
      candidate('cooking', { topics: ['cooking'] }),
      candidate('travel', { topics: ['travel'] }),
    ]);
    assert.deepEqual(ranked, ['cooking', 'travel', 'sports', 'news']);
  });

  it('prefers followed creators, fresh items, engaging items and better creators, all else equal', async () => {
    assert.deepEqual(await order([candidate('plain'), candidate('followed', {}, true)]), ['followed', 'plain']);
    assert.deepEqual(await order([candidate('old', { createdAtMs: NOW - 20 * 24 * HOUR }), candidate('new')]), [
      'new',
      'old',
    ]);
    const engaging = { popularity: { views: 100, likes: 40, shares: 10, comments: 10 } };
    assert.deepEqual(await order([candidate('flat'), candidate('engaging', engaging)]), ['engaging', 'flat']);
    assert.deepEqual(await order([candidate('weak', {}, false, 5), candidate('strong', {}, false, 80)]), [
      'strong',
      'weak',
    ]);
  });

  it('scores a batch into a reusable buffer', () => {
    const matrix = buildFeatureMatrix(userFeatures(profile), [candidate('a'), candidate('b')], NOW);
    const out = new Float32Array(8);
    assert.equal(fallbackScores(matrix, 2, out), out);
    assert.equal(out[1], Math.fround(fallbackScore(matrix, 1)));
  });
});
