/**
 * The trained ranker through onnxruntime-node. One InferenceSession per model file per process, created on first
 * use and shared: a session holds the model's memory and thread pools, so one per request would be ruinous.
 * A model whose card names another feature list is refused at load with ModelMismatchError; callers then serve
 * with the fallback ranker rather than score with features in the wrong order.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { Ranker } from './fallback-ranker.js';
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_VERSION } from './features.js';

export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../models/ranker.onnx', import.meta.url));

/** The fields of models/model-card.json the server relies on (the card holds more: data, params, metrics). */
export interface ModelCard {
  modelVersion: string;
  featureVersion: number;
  featureNames: string[];
}

export interface OnnxRanker extends Ranker {
  readonly name: 'onnx';
  readonly card: ModelCard;
  release(): Promise<void>;
}

export interface OnnxRankerOptions {
  modelPath?: string;
  /** Defaults to model-card.json beside the model. */
  cardPath?: string;
  /** Threads per inference; 1 keeps a worker's scoring on one core so concurrency comes from more requests. */
  intraOpThreads?: number;
}

export class ModelMismatchError extends Error {
  override name = 'ModelMismatchError';
}

const sessions = new Map<string, Promise<OnnxRanker>>();

/** The shared ranker for a model file; a failed load is forgotten so a later call can retry (e.g. after a deploy). */
export function loadOnnxRanker(options: OnnxRankerOptions = {}): Promise<OnnxRanker> {
  const modelPath = options.modelPath ?? DEFAULT_MODEL_PATH;
  const cached = sessions.get(modelPath);
  if (cached) return cached;
  const loading = createRanker(modelPath, options);
  sessions.set(modelPath, loading);
  loading.catch(() => sessions.delete(modelPath));
  return loading;
}

/** Releases every shared session (worker shutdown, tests). */
export async function releaseOnnxRankers(): Promise<void> {
  const loaded = [...sessions.values()];
  sessions.clear();
  await Promise.allSettled(loaded.map(async (ranker) => (await ranker).release()));
}

export async function readModelCard(path: string): Promise<ModelCard> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!isModelCard(parsed)) throw new ModelMismatchError(`${path} is not a model card`);
  return parsed;
}

/** Throws ModelMismatchError unless the model was trained on exactly this build's features. */
export function assertCompatible(card: ModelCard): void {
  if (card.featureVersion !== FEATURE_VERSION) {
    throw new ModelMismatchError(
      `model ${card.modelVersion} was trained on feature version ${card.featureVersion}, this build computes ${FEATURE_VERSION}`,
    );
  }
  if (card.featureNames.join(',') !== FEATURE_NAMES.join(',')) {
    throw new ModelMismatchError(`model ${card.modelVersion} lists features that differ from FEATURE_NAMES`);
  }
}

async function createRanker(modelPath: string, options: OnnxRankerOptions): Promise<OnnxRanker> {
  const card = await readModelCard(options.cardPath ?? join(dirname(modelPath), 'model-card.json'));
  assertCompatible(card);
  const threads = options.intraOpThreads ?? 1;
  const session = await InferenceSession.create(modelPath, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const [input] = session.inputNames;
  const [output] = session.outputNames;
  if (input === undefined || output === undefined) throw new ModelMismatchError(`${modelPath} has no input/output`);
  return {
    name: 'onnx',
    version: card.modelVersion,
    card,
    async scoreBatch(matrix: Float32Array, rows: number): Promise<Float32Array> {
      if (rows === 0) return new Float32Array(0);
      if (matrix.length < rows * FEATURE_COUNT) throw new RangeError(`matrix holds fewer than ${rows} rows`);
      const tensor = new Tensor('float32', matrix.subarray(0, rows * FEATURE_COUNT), [rows, FEATURE_COUNT]);
      const result = await session.run({ [input]: tensor });
      const scores = result[output]?.data;
      if (!(scores instanceof Float32Array) || scores.length !== rows) {
        throw new ModelMismatchError(`model ${card.modelVersion} returned no float score per row`);
      }
      return scores;
    },
    release: () => session.release(),
  };
}

function isModelCard(value: unknown): value is ModelCard {
  if (typeof value !== 'object' || value === null) return false;
  const card = value as Record<string, unknown>;
  return (
    typeof card.modelVersion === 'string' &&
    typeof card.featureVersion === 'number' &&
    Array.isArray(card.featureNames) &&
    card.featureNames.every((name) => typeof name === 'string')
  );
}
