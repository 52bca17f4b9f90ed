/**
 * Versioned model files with pointers, so a promoted model is served without a restart. A registry is a directory:
 *   <dir>/<modelVersion>/ranker.onnx, model-card.json, MODEL_CARD.md, charts/*.png   (never changed once written)
 *   <dir>/current.json, <dir>/candidate.json                                           ({ modelVersion, promotedAt })
 * Promotion rewrites a pointer atomically (write + rename); every API and worker process re-reads the pointers at
 * most every POINTER_CACHE_MS and loads the new version's ONNX session on first use, so the swap needs no restart
 * and never serves a half-written file. Without a current pointer the committed models/ranker.onnx serves.
 */
import { copyFile, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_PATH } from '../ranking/onnx-ranker.js';
import type { ModelArm } from '../impressions/impression.js';

export const DEFAULT_REGISTRY_DIR = fileURLToPath(new URL('../../models/registry', import.meta.url));
const POINTER_CACHE_MS = 1_000;

export interface ModelPointer {
  modelVersion: string;
  promotedAt: string;
}

const pointerCache = new Map<string, { value: ModelPointer | null; expiresMs: number }>();

export async function readPointer(dir: string, arm: ModelArm, nowMs = Date.now()): Promise<ModelPointer | null> {
  const file = join(dir, `${arm}.json`);
  const cached = pointerCache.get(file);
  if (cached && cached.expiresMs > nowMs) return cached.value;
  const value = await readFile(file, 'utf8').then(
    (raw) => JSON.parse(raw) as ModelPointer,
    () => null,
  );
  pointerCache.set(file, { value, expiresMs: nowMs + POINTER_CACHE_MS });
  return value;
}

export function modelFile(dir: string, modelVersion: string): string {
  return join(dir, modelVersion, 'ranker.onnx');
}

export interface ServingModel {
  modelPath: string;
  /** The arm that actually serves: a candidate request falls back to current when no candidate is registered. */
  arm: ModelArm;
  /** The registry's version for the arm; absent for a pinned file or the committed default. */
  modelVersion?: string;
}

/**
 * The model file for an arm. `configured` is RANKING_MODEL_PATH: a .onnx file pins that model (no registry, no
 * split); a directory is a registry; unset means the default registry beside the committed model.
 */
export async function servingModel(configured: string | undefined, arm: ModelArm): Promise<ServingModel> {
  const dir = await registryDir(configured);
  if (dir === null) return { modelPath: configured as string, arm: 'current' };
  if (arm === 'candidate') {
    const candidate = await readPointer(dir, 'candidate');
    if (candidate)
      return { modelPath: modelFile(dir, candidate.modelVersion), arm, modelVersion: candidate.modelVersion };
  }
  const current = await readPointer(dir, 'current');
  if (!current) return { modelPath: DEFAULT_MODEL_PATH, arm: 'current' };
  return { modelPath: modelFile(dir, current.modelVersion), arm: 'current', modelVersion: current.modelVersion };
}

/** The registry RANKING_MODEL_PATH names, or null when it pins a model file. */
export async function registryDir(configured: string | undefined): Promise<string | null> {
  if (configured === undefined) return DEFAULT_REGISTRY_DIR;
  return (await isDirectory(configured)) ? configured : null;
}

const directoryCache = new Map<string, boolean>();
async function isDirectory(path: string): Promise<boolean> {
  let known = directoryCache.get(path);
  if (known === undefined) {
    known = await stat(path).then(
      (s) => s.isDirectory(),
      () => false,
    );
    directoryCache.set(path, known);
  }
  return known;
}

/** Copies a trained model's files (model, card, charts) into the registry under its version; idempotent. */
export async function installModel(dir: string, sourceDir: string, modelVersion: string): Promise<string> {
  const target = join(dir, modelVersion);
  await mkdir(join(target, 'charts'), { recursive: true });
  for (const name of ['ranker.onnx', 'model-card.json', 'MODEL_CARD.md']) {
    await copyFile(join(sourceDir, name), join(target, name));
  }
  const charts = await readdir(join(sourceDir, 'charts')).catch(() => [] as string[]);
  for (const name of charts) await copyFile(join(sourceDir, 'charts', name), join(target, 'charts', name));
  return target;
}

/** Points an arm at an installed version: a rename, so readers see the old pointer or the new one, never half. */
export async function writePointer(dir: string, arm: ModelArm, pointer: ModelPointer): Promise<void> {
  const file = join(dir, `${arm}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(pointer)}\n`);
  await rename(temp, file);
  pointerCache.delete(file);
}
