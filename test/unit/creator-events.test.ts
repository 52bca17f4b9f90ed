import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  creatorMetricDelta,
  creditedCreator,
  MAX_WATCH_SECONDS_PER_EVENT,
  sumCreatorDeltas,
} from '../../src/domain/creator-events.js';
import { applyMetricDelta, emptyCounters, newCreatorStats } from '../../src/domain/creator-score.js';
import { creatorBoardValues, weekOf } from '../../src/domain/leaderboards.js';
import type { EventDoc } from '../../src/store/events.js';
import { partsPerCreator } from '../../src/ingestion/creator-relay.js';

const at = (iso: string) => Date.parse(iso);

describe('creator metric deltas from engagement events', () => {
  it('maps each creator-metric type and leaves taste-only types out', () => {
    assert.deepEqual(creatorMetricDelta('view'), { views: 1 });
    assert.deepEqual(creatorMetricDelta('watch_time', 42.5), { watchTimeSeconds: 42.5 });
    assert.deepEqual(creatorMetricDelta('watch_time', 1e9), { watchTimeSeconds: MAX_WATCH_SECONDS_PER_EVENT });
    assert.equal(creatorMetricDelta('tip', 1e6), null, 'client tips are interest signals, not money');
    assert.equal(creatorMetricDelta('follow'), null, 'followers move through the social graph only');
    assert.equal(creatorMetricDelta('skip'), null);
    assert.equal(creatorMetricDelta('report'), null);
    assert.equal(creatorMetricDelta('watch_time'), null, 'no seconds, nothing to add');
  });

  it("credits the catalog's creator of the item, never the client's, and never oneself", () => {
    const catalog = new Map([['item-1', { creatorId: 'carla' }]]);
    assert.equal(creditedCreator({ userId: 'u', contentId: 'item-1' }, catalog), 'carla');
    assert.equal(creditedCreator({ userId: 'carla', contentId: 'item-1' }, catalog), null);
    assert.equal(creditedCreator({ userId: 'u', contentId: 'unknown' }, catalog), null);
    assert.equal(creditedCreator({ userId: 'u' }, catalog), null);
  });

  it('sums per creator and skips events without a creator', () => {
    const sums = sumCreatorDeltas([
      { creatorId: 'a', type: 'view' },
      { creatorId: 'a', type: 'view' },
      { creatorId: 'a', type: 'comment' },
      { creatorId: 'b', type: 'like' },
      { type: 'like' },
      { creatorId: 'b', type: 'hide' },
    ]);
    assert.deepEqual([...sums.keys()], ['a', 'b']);
    assert.deepEqual(sums.get('a'), { ...emptyCounters(), views: 2, comments: 1 });
    assert.deepEqual(sums.get('b'), { ...emptyCounters(), likes: 1 });
  });
});

describe('relay parts for the creator workflow', () => {
  let n = 0;
  const doc = (batchId: string, creatorId: string | undefined, type: EventDoc['type']): EventDoc => ({
    _id: `${batchId}-${n++}`,
    userId: 'u',
    type,
    ...(creatorId ? { creatorId } : {}),
    occurredAt: new Date(0),
    receivedAt: new Date(0),
    batchId,
  });

  it('sends one batch per creator with one part per outbox batch, named after the batch', () => {
    const batches = partsPerCreator([
      doc('b1', 'a', 'view'),
      doc('b1', 'a', 'like'),
      doc('b2', 'a', 'view'),
      doc('b2', 'c', 'share'),
      doc('b2', undefined, 'view'),
      doc('b3', 'c', 'skip'),
    ]);
    assert.deepEqual(
      batches.get('a')?.parts.map((p) => [p.id, p.delta.views, p.delta.likes]),
      [
        ['batch:b1', 1, 1],
        ['batch:b2', 1, 0],
      ],
    );
    assert.deepEqual(
      batches.get('c')?.parts.map((p) => p.id),
      ['batch:b2'],
      'a skip-only batch sends nothing',
    );
  });
});

describe('leaderboard values', () => {
  it('weeks start on Monday (UTC)', () => {
    assert.equal(weekOf('2026-11-25'), '2026-11-23'); // a Wednesday
    assert.equal(weekOf('2026-11-23'), '2026-11-23');
    assert.equal(weekOf('2026-11-29'), '2026-11-23'); // Sunday still belongs to the week before
    assert.equal(weekOf('2027-01-01'), '2026-12-28'); // across a year
  });

  it('counts weekly views only from days of the current week', () => {
    let stats = newCreatorStats(at('2026-11-22T10:00:00Z')); // Sunday, the week before
    stats = applyMetricDelta(stats, { views: 5 }, at('2026-11-22T10:00:00Z'));
    stats = applyMetricDelta(stats, { views: 7 }, at('2026-11-23T10:00:00Z'));
    stats = applyMetricDelta(stats, { views: 11 }, at('2026-11-25T10:00:00Z'));
    const v = creatorBoardValues(stats);
    assert.equal(v.day, '2026-11-25');
    assert.equal(v.dayViews, 11);
    assert.equal(v.week, '2026-11-23');
    assert.equal(v.weekViews, 18);
    assert.equal(v.score, stats.score);
  });
});
