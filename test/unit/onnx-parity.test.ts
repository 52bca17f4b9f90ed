import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
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

const models = new URL('../../models/', import.meta.url);
const gunzip = async (name: string) => gunzipSync(await readFile(new URL(name, models)));
/** Every held-out row, and LightGBM's raw score for each (written by models/train.py). */
const heldout = JSON.parse((await gunzip('heldout/heldout.json.gz')).toString('utf8')) as { rows: number };
const asArray = <T>(bytes: Buffer, View: new (buffer: ArrayBuffer) => T): T =>
  new View(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
const heldoutFeatures = asArray(await gunzip('heldout/heldout.features.f32.gz'), Float32Array);
const lightgbmScores = asArray(await gunzip('fixtures/heldout-lightgbm-scores.f64.gz'), Float64Array);

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

  it('scores every held-out row as LightGBM did, with the max |diff| the model card states', async () => {
    const card = JSON.parse(await readFile(new URL('model-card.json', models), 'utf8')) as {
      metrics: { onnxVsLightgbmMaxAbsDiff: number };
    };
    assert.equal(lightgbmScores.length, heldout.rows, 'one LightGBM score per held-out row');
    assert.equal(heldoutFeatures.length, heldout.rows * FEATURE_COUNT);
    const scores = await (await loadOnnxRanker()).scoreBatch(heldoutFeatures, heldout.rows);
    let maxDiff = 0;
    let worst = -1;
    for (let i = 0; i < heldout.rows; i++) {
      const diff = Math.abs((scores[i] ?? NaN) - (lightgbmScores[i] as number));
      if (!(diff <= maxDiff)) [maxDiff, worst] = [diff, i];
    }
    assert.ok(maxDiff <= fixture.tolerance, `row ${worst}: onnx ${scores[worst]} vs lightgbm ${lightgbmScores[worst]}`);
    // The card's figure, recomputed: the same model and rows give the same largest difference.
    assert.ok(
      Math.abs(maxDiff - card.metrics.onnxVsLightgbmMaxAbsDiff) <= 1e-9,
      `max |diff| ${maxDiff} (row ${worst}), card says ${card.metrics.onnxVsLightgbmMaxAbsDiff}`,
    );
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
