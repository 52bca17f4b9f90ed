import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_VERSION } from '../../src/ranking/features.js';
import {
  DEFAULT_MODEL_PATH,
  loadOnnxRanker,
  ModelMismatchError,
  readModelCard,
  releaseOnnxRankers,
} from '../../src/ranking/onnx-ranker.js';

interface Fixture {
  featureNames: string[];
  tolerance: number;
  rows: { features: number[]; score: number }[];
}

const fixture = JSON.parse(
  await readFile(new URL('../../models/fixtures/parity.json', import.meta.url), 'utf8'),
) as Fixture;

after(releaseOnnxRankers);

describe('ONNX ranker', () => {
  it('loads the committed model whose card matches this build’s features', async () => {
    const card = await readModelCard(join(DEFAULT_MODEL_PATH, '..', 'model-card.json'));
    assert.equal(card.featureVersion, FEATURE_VERSION);
    assert.deepEqual(card.featureNames, [...FEATURE_NAMES]);
    const ranker = await loadOnnxRanker();
    assert.equal(ranker.version, card.modelVersion);
    assert.equal(await loadOnnxRanker(), ranker, 'one session per process');
  });

  it('scores the fixture as LightGBM did, within 1e-5', async () => {
    assert.deepEqual(fixture.featureNames, [...FEATURE_NAMES]);
    assert.ok(fixture.rows.length >= 50);
    const matrix = new Float32Array(fixture.rows.flatMap((r) => r.features));
    const scores = await (await loadOnnxRanker()).scoreBatch(matrix, fixture.rows.length);
    fixture.rows.forEach((row, i) => {
      const diff = Math.abs((scores[i] ?? NaN) - row.score);
      assert.ok(diff <= 1e-5, `row ${i}: onnx ${scores[i]} vs lightgbm ${row.score}`);
    });
    // Row by row gives the same scores as the batch: no cross-row state in the session.
    const single = await (await loadOnnxRanker()).scoreBatch(matrix.slice(0, FEATURE_COUNT), 1);
    assert.equal(single[0], scores[0]);
  });

  it('refuses a model whose card names another feature version, so callers fall back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ranker-'));
    try {
      const card = await readModelCard(join(DEFAULT_MODEL_PATH, '..', 'model-card.json'));
      await copyFile(DEFAULT_MODEL_PATH, join(dir, 'ranker.onnx'));
      await writeFile(join(dir, 'model-card.json'), JSON.stringify({ ...card, featureVersion: FEATURE_VERSION + 1 }));
      await assert.rejects(loadOnnxRanker({ modelPath: join(dir, 'ranker.onnx') }), ModelMismatchError);
      await writeFile(
        join(dir, 'model-card.json'),
        JSON.stringify({ ...card, featureNames: [...FEATURE_NAMES].reverse() }),
      );
      await assert.rejects(loadOnnxRanker({ modelPath: join(dir, 'ranker.onnx') }), ModelMismatchError);
      await assert.rejects(loadOnnxRanker({ modelPath: join(dir, 'missing.onnx') }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
