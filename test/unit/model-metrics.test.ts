import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { fallbackScores } from '../../src/ranking/fallback-ranker.js';
import { FEATURE_COUNT, FEATURE_INDEX, FEATURE_NAMES } from '../../src/ranking/features.js';
import { loadOnnxRanker, releaseOnnxRankers } from '../../src/ranking/onnx-ranker.js';

// Recomputes the model card's offline metrics from the committed held-out split and model, with the same
// definitions as models/metrics.py: stable order by score (ties by row), gain 2^label − 1, log2(rank + 2).
interface Metrics {
  'ndcg@10': number;
  'recall@50': number;
}
type Ranker = 'model' | 'popularity' | 'fallback';

const models = new URL('../../models/', import.meta.url);
const gunzip = async (name: string) => gunzipSync(await readFile(new URL(`heldout/${name}`, models)));
const meta = JSON.parse((await gunzip('heldout.json.gz')).toString('utf8')) as {
  featureNames: string[];
  rows: number;
  groups: number[];
  labels: number[];
};
const bytes = await gunzip('heldout.features.f32.gz');
const features = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
const card = JSON.parse(await readFile(new URL('model-card.json', models), 'utf8')) as {
  metrics: { heldout: Record<Ranker, Metrics> };
};

function order(scores: ArrayLike<number>, start: number, size: number): number[] {
  const rows = Array.from({ length: size }, (_, i) => start + i);
  return rows.sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
}

function mean(scores: ArrayLike<number>): Metrics {
  let ndcg = 0;
  let recall = 0;
  let start = 0;
  for (const size of meta.groups) {
    const labels = meta.labels.slice(start, start + size);
    const ranked = order(scores, start, size).map((row) => meta.labels[row] ?? 0);
    const dcg = (ls: number[]) => ls.slice(0, 10).reduce((sum, l, i) => sum + (2 ** l - 1) / Math.log2(i + 2), 0);
    const ideal = dcg([...labels].sort((a, b) => b - a));
    ndcg += ideal > 0 ? dcg(ranked) / ideal : 0;
    const relevant = labels.filter((l) => l > 0).length;
    recall += relevant > 0 ? ranked.slice(0, 50).filter((l) => l > 0).length / relevant : 0;
    start += size;
  }
  return { 'ndcg@10': ndcg / meta.groups.length, 'recall@50': recall / meta.groups.length };
}

after(releaseOnnxRankers);

describe('model card metrics on the committed held-out split', () => {
  const results = new Map<Ranker, Metrics>();

  it('is the split the card describes, built with this feature list', () => {
    assert.deepEqual(meta.featureNames, [...FEATURE_NAMES]);
    assert.equal(features.length, meta.rows * FEATURE_COUNT);
    assert.equal(meta.labels.length, meta.rows);
    assert.equal(
      meta.groups.reduce((a, b) => a + b, 0),
      meta.rows,
    );
  });

  it('reproduces NDCG@10 and recall@50 of the model and both baselines', async () => {
    const ranker = await loadOnnxRanker();
    results.set('model', mean(await ranker.scoreBatch(features, meta.rows)));
    const popularity = Float32Array.from({ length: meta.rows }, (_, r) => features[r * FEATURE_COUNT + FEATURE_INDEX.popularity_decayed] ?? 0); // prettier-ignore
    results.set('popularity', mean(popularity));
    results.set('fallback', mean(fallbackScores(features, meta.rows)));
    for (const [name, got] of results) {
      const claimed = card.metrics.heldout[name];
      for (const metric of ['ndcg@10', 'recall@50'] as const) {
        assert.ok(
          Math.abs(got[metric] - claimed[metric]) < 1e-4,
          `${name} ${metric}: ${got[metric]} vs card ${claimed[metric]}`,
        );
      }
    }
  });

  it('beats both baselines on NDCG@10', () => {
    const ndcg = (name: Ranker) => results.get(name)?.['ndcg@10'] ?? NaN;
    assert.ok(ndcg('model') > ndcg('fallback'), `model ${ndcg('model')} vs rule-based ${ndcg('fallback')}`);
    assert.ok(ndcg('model') > ndcg('popularity'), `model ${ndcg('model')} vs popularity ${ndcg('popularity')}`);
  });
});
