import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizePages, type PageOutcome } from '../../src/learning/online-metrics.js';
import { parseWindow, renderTable } from '../../src/ops/commands/model-metrics.js';

type Counts = Pick<PageOutcome, 'items' | 'engagedItems' | 'engagedAtK' | 'headPage' | 'likes' | 'shares' | 'skips'>;
const page = (modelVersion: string, arm: 'current' | 'candidate', at: string, c: Counts): PageOutcome => ({
  modelVersion,
  arm,
  at: new Date(at),
  ...c,
});

// Two pages in one hour, one a second before midnight and one at midnight (the bucket edges), another model.
const pages: PageOutcome[] = [
  page('a', 'current', '2026-03-02T10:15:00Z', { items: 10, engagedItems: 2, engagedAtK: 1, headPage: 1, likes: 1, shares: 0, skips: 1 }), // prettier-ignore
  page('b', 'candidate', '2026-03-02T10:20:00Z', { items: 10, engagedItems: 1, engagedAtK: 1, headPage: 1, likes: 0, shares: 0, skips: 5 }), // prettier-ignore
  page('a', 'current', '2026-03-02T10:50:00Z', { items: 10, engagedItems: 0, engagedAtK: 0, headPage: 0, likes: 0, shares: 0, skips: 0 }), // prettier-ignore
  page('a', 'current', '2026-03-02T23:59:59.999Z', { items: 10, engagedItems: 1, engagedAtK: 0, headPage: 1, likes: 0, shares: 1, skips: 2 }), // prettier-ignore
  page('a', 'current', '2026-03-03T00:00:00Z', { items: 5, engagedItems: 5, engagedAtK: 1, headPage: 1, likes: 5, shares: 0, skips: 0 }), // prettier-ignore
];

/** [bucketStart, model, arm, pages, items, engagement at k, engaged, like, share, skip] */
const flat = (rows: ReturnType<typeof summarizePages>) =>
  rows.map((r) => [r.bucketStart ?? null, r.modelVersion, r.arm, r.pages, r.items, r.engagementRateAtK, r.engagedItemRate, r.likeRate, r.shareRate, r.skipRate]); // prettier-ignore

describe('online metrics per model over time', () => {
  it('sums pages per model version and arm per UTC day', () => {
    assert.deepEqual(flat(summarizePages(pages, 'day')), [
      ['2026-03-02T00:00:00.000Z', 'a', 'current', 3, 30, 0.5, 0.1, 0.033333, 0.033333, 0.1],
      ['2026-03-02T00:00:00.000Z', 'b', 'candidate', 1, 10, 1, 0.1, 0, 0, 0.5],
      ['2026-03-03T00:00:00.000Z', 'a', 'current', 1, 5, 1, 1, 1, 0, 0],
    ]);
  });

  it('sums per hour, and per model over the whole window', () => {
    assert.deepEqual(flat(summarizePages(pages, 'hour')), [
      ['2026-03-02T10:00:00.000Z', 'a', 'current', 2, 20, 1, 0.1, 0.05, 0, 0.05],
      ['2026-03-02T10:00:00.000Z', 'b', 'candidate', 1, 10, 1, 0.1, 0, 0, 0.5],
      ['2026-03-02T23:00:00.000Z', 'a', 'current', 1, 10, 0, 0.1, 0, 0.1, 0.2],
      ['2026-03-03T00:00:00.000Z', 'a', 'current', 1, 5, 1, 1, 1, 0, 0],
    ]);
    assert.deepEqual(flat(summarizePages(pages, 'total')), [
      [null, 'a', 'current', 4, 35, 0.666667, 0.228571, 0.171429, 0.028571, 0.085714],
      [null, 'b', 'candidate', 1, 10, 1, 0.1, 0, 0, 0.5],
    ]);
    assert.deepEqual(summarizePages([], 'day'), []);
  });

  it('renders a table per bucket and reads windows like 36h or 7d', () => {
    const serving = { current: { modelVersion: 'a', promotedAt: '2026-03-01T00:00:00.000Z' }, candidate: null, candidateShare: 0 }; // prettier-ignore
    const table = renderTable({ k: 10, since: '2026-02-24T00:00:00.000Z', bucket: 'day', serving, rows: summarizePages(pages, 'day') }); // prettier-ignore
    const lines = table.split('\n');
    assert.match(lines[0] as string, /per day\); serving current a$/);
    assert.deepEqual(lines.slice(3), [
      'day         model  arm        pages  items  eng@10  engaged    like  share   skip',
      '2026-03-02  a      current        3     30   50.0%    10.0%    3.3%   3.3%  10.0%',
      '2026-03-02  b      candidate      1     10  100.0%    10.0%    0.0%   0.0%  50.0%',
      '2026-03-03  a      current        1      5  100.0%   100.0%  100.0%   0.0%   0.0%',
    ]);
    assert.deepEqual([parseWindow('36h'), parseWindow('7d'), parseWindow('0.5d')], [36, 168, 12]);
    for (const bad of ['7', '91d', '0h', 'yesterday']) assert.throws(() => parseWindow(bad), /--since/);
  });
});
