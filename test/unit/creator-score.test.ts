import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyMetricDelta,
  creatorScore,
  creatorTier,
  dailySnapshot,
  newCreatorStats,
  nextUtcMidnight,
  rollDay,
  scoreBreakdown,
  tierBand,
  utcDay,
  WINDOW_DAYS,
  type CreatorStats,
  type CreatorTier,
  type MetricDelta,
} from '../../src/domain/creator-score.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 10, 12, 0, 0);

function days(stats: CreatorStats, count: number, delta: MetricDelta, from = T0): CreatorStats {
  let s = stats;
  for (let i = 0; i < count; i++) s = applyMetricDelta(s, delta, from + i * DAY);
  return s;
}

describe('utc day helpers', () => {
  it('names the UTC day and finds the next midnight', () => {
    assert.equal(utcDay(Date.UTC(2025, 0, 10, 23, 59, 59, 999)), '2025-01-10');
    assert.equal(nextUtcMidnight(Date.UTC(2025, 0, 10, 23, 59)), Date.UTC(2025, 0, 11));
    assert.equal(nextUtcMidnight(Date.UTC(2025, 0, 11)), Date.UTC(2025, 0, 12), 'exactly midnight waits a full day');
    assert.equal(nextUtcMidnight(Date.UTC(2024, 11, 31, 18)), Date.UTC(2025, 0, 1));
  });
});

describe('creatorScore', () => {
  it('scores a new creator low but as a number', () => {
    const s = newCreatorStats(T0);
    assert.ok(Number.isFinite(s.score));
    assert.ok(s.score > 0 && s.score < 10, `score ${s.score}`);
    assert.equal(s.tier, 'bronze');
  });

  it('handles activity with zero views without NaN', () => {
    const s = applyMetricDelta(newCreatorStats(T0), { likes: 5, followersGained: 2 }, T0);
    assert.ok(Number.isFinite(s.score));
    assert.ok(s.score >= 0 && s.score <= 100);
  });

  it('smooths tiny samples so 3 views with 3 likes do not read as a 100% rate', () => {
    const tiny = applyMetricDelta(newCreatorStats(T0), { views: 3, likes: 3, comments: 3, shares: 3 }, T0);
    assert.ok(scoreBreakdown(tiny).engagement < 0.5, `engagement ${scoreBreakdown(tiny).engagement}`);
    assert.equal(tiny.tier, 'bronze');
  });

  it('does not max out on one huge viral day', () => {
    const viral = applyMetricDelta(
      newCreatorStats(T0),
      { views: 50_000_000, likes: 20_000_000, shares: 5_000_000, comments: 5_000_000, followersGained: 2_000_000 },
      T0,
    );
    const withTips = applyMetricDelta(viral, { tips: 100_000, tipAmount: 1_000_000_000 }, T0);
    assert.ok(withTips.score < 50, `score ${withTips.score}`);
  });

  it('reaches the top only with sustained growth, engagement and tips', () => {
    const s = days(newCreatorStats(T0), WINDOW_DAYS, {
      views: 10_000,
      likes: 3_000,
      comments: 500,
      shares: 500,
      followersGained: 150,
      tipAmount: 20_000,
      tips: 40,
    });
    assert.equal(s.score, 100);
    assert.equal(s.tier, 'diamond');
  });

  it('stays within 0..100 for any input, including garbage deltas', () => {
    let s = newCreatorStats(T0);
    const deltas: MetricDelta[] = [
      { views: -5, likes: Number.NaN, shares: Infinity },
      { views: 1e15, likes: 1e15, comments: 1e15, shares: 1e15, tipAmount: 1e18, followersGained: 1e12 },
      { followersLost: 1e9 },
      { views: 0 },
      { likes: 1_000_000 },
    ];
    for (let i = 0; i < 60; i++) {
      s = applyMetricDelta(s, deltas[i % deltas.length] ?? {}, T0 + i * 0.7 * DAY);
      assert.ok(s.score >= 0 && s.score <= 100, `score ${s.score}`);
      assert.ok(s.followers >= 0);
    }
    assert.equal(s.score, creatorScore(s));
  });

  it('ignores negative and non-finite values', () => {
    const s = applyMetricDelta(newCreatorStats(T0), { views: -10, likes: Number.NaN, tipAmount: Infinity }, T0);
    assert.deepEqual([s.totals.views, s.totals.likes, s.totals.tipAmount], [0, 0, 0]);
  });
});

describe('creatorTier', () => {
  it('assigns the plain band without a previous tier', () => {
    assert.deepEqual(
      [0, 19.9, 20, 40, 60, 80, 100].map((x) => tierBand(x)),
      ['bronze', 'bronze', 'silver', 'gold', 'platinum', 'diamond', 'diamond'],
    );
    assert.equal(creatorTier(61), 'platinum');
  });

  it('does not flap for a score oscillating around a boundary', () => {
    let tier: CreatorTier = 'gold';
    for (const score of [59, 61, 58.5, 62.9, 57.1, 60, 62]) {
      tier = creatorTier(score, tier);
      assert.equal(tier, 'gold');
    }
    tier = 'platinum';
    for (const score of [59, 61, 58.5, 62.9, 57.1, 60, 62]) {
      tier = creatorTier(score, tier);
      assert.equal(tier, 'platinum');
    }
  });

  it('promotes and demotes once past the margin', () => {
    assert.equal(creatorTier(63, 'gold'), 'platinum');
    assert.equal(creatorTier(56.9, 'platinum'), 'gold');
    assert.equal(creatorTier(95, 'bronze'), 'diamond');
    assert.equal(creatorTier(5, 'diamond'), 'bronze');
    assert.equal(creatorTier(0, 'bronze'), 'bronze');
  });
});

describe('day rollover', () => {
  it('rolls today into history when a delta arrives on a new UTC day', () => {
    const day1 = applyMetricDelta(newCreatorStats(T0), { views: 100, likes: 10 }, T0);
    const day2 = applyMetricDelta(day1, { views: 7 }, nextUtcMidnight(T0) + 1);
    assert.equal(day2.today.day, '2025-01-11');
    assert.equal(day2.today.views, 7);
    assert.equal(day2.totals.views, 107);
    assert.deepEqual(dailySnapshot(day2, '2025-01-10').counters.views, 100);
    assert.equal(dailySnapshot(day2, '2025-01-11').counters.views, 7);
  });

  it('rollDay resets the counters, is idempotent and never goes back', () => {
    const s = applyMetricDelta(newCreatorStats(T0), { views: 100, likes: 10 }, T0);
    const snap = dailySnapshot(s, '2025-01-10');
    const rolled = rollDay(s, '2025-01-11');
    assert.equal(rolled.today.views, 0);
    assert.equal(rolled.totals.views, 100);
    assert.equal(rollDay(rolled, '2025-01-11'), rolled);
    assert.equal(rollDay(rolled, '2025-01-09'), rolled);
    assert.deepEqual(dailySnapshot(rolled, '2025-01-10'), { ...snap, score: rolled.score, tier: rolled.tier });
    assert.throws(() => rollDay(s, 'tomorrow'), RangeError);
  });

  it('gives zero counters for an idle day and keeps history bounded', () => {
    const s = days(newCreatorStats(T0), 100, { views: 10, likes: 1 });
    assert.ok(s.recentDays.length <= WINDOW_DAYS - 1);
    const idle = rollDay(s, '2025-12-01');
    assert.equal(idle.recentDays.length, 0);
    assert.equal(dailySnapshot(idle, '2025-11-30').counters.views, 0);
    assert.ok(idle.score < s.score, 'an idle month decays consistency and growth');
  });
});
