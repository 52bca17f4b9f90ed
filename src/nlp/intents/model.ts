import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIntentName, OUT_OF_SCOPE, type IntentLabel } from './catalog.js';
import { BayesIntentScorer, type SerializedBayes } from './natural-adapter.js';
import { intentFeatures } from './normalize.js';
import utterances from './utterances.json' with { type: 'json' };

/**
 * The trained intent model and where it comes from. scripts/train-intents.ts writes model.json
 * at build time; at run time the committed file is used when it was trained from exactly the
 * shipped utterance set (same version and same content hash), otherwise the model is trained in
 * memory (a few tens of ms) so a forgotten retrain can never serve a stale model.
 */

export interface Utterance {
  intent: IntentLabel;
  text: string;
  /** Position within its intent's list: the held-out split in the tests is defined on it. */
  index: number;
}

export interface IntentModelFile {
  format: 1;
  algorithm: 'natural.BayesClassifier';
  utteranceSetVersion: string;
  utteranceSetHash: string;
  trainedExamples: number;
  classifier: SerializedBayes;
}

export interface TrainedIntentModel {
  scorer: BayesIntentScorer;
  source: 'committed' | 'trained_in_memory';
  utteranceSetVersion: string;
}

export const MODEL_URL = new URL('./model.json', import.meta.url);

export const UTTERANCE_SET_VERSION: string = utterances.version;

/** Labelled utterances of an utterance file: its intents, then its out-of-scope negatives as a class of their own. */
export function labelledUtterances(set: { intents: Record<string, string[]>; out_of_scope: string[] }): Utterance[] {
  const positives = Object.entries(set.intents).flatMap(([intent, texts]) => {
    if (!isIntentName(intent)) throw new Error(`utterance set names unknown intent ${intent}`);
    return texts.map((text, index) => ({ intent, text, index }));
  });
  const negatives = set.out_of_scope.map((text, index) => ({ intent: OUT_OF_SCOPE, text, index }) as const);
  return [...positives, ...negatives];
}

export function shippedUtterances(): Utterance[] {
  return labelledUtterances(utterances);
}

export function utteranceSetHash(): string {
  const { intents, out_of_scope } = utterances;
  return createHash('sha256').update(JSON.stringify({ intents, out_of_scope })).digest('hex');
}

export function trainScorer(examples: readonly Utterance[]): BayesIntentScorer {
  return BayesIntentScorer.train(examples.map((u) => ({ features: intentFeatures(u.text), label: u.intent })));
}

/** The model file for the shipped set; deterministic, so retraining an unchanged set is a no-op diff. */
export function buildModelFile(): IntentModelFile {
  const examples = shippedUtterances();
  return {
    format: 1,
    algorithm: 'natural.BayesClassifier',
    utteranceSetVersion: UTTERANCE_SET_VERSION,
    utteranceSetHash: utteranceSetHash(),
    trainedExamples: examples.length,
    classifier: trainScorer(examples).serialize(),
  };
}

function readCommitted(): IntentModelFile | undefined {
  try {
    return JSON.parse(readFileSync(MODEL_URL, 'utf8')) as IntentModelFile;
  } catch {
    return undefined;
  }
}

export function loadIntentModel(): TrainedIntentModel {
  const committed = readCommitted();
  const fresh =
    committed?.format === 1 &&
    committed.utteranceSetVersion === UTTERANCE_SET_VERSION &&
    committed.utteranceSetHash === utteranceSetHash();
  if (committed && fresh) {
    return {
      scorer: BayesIntentScorer.restore(committed.classifier),
      source: 'committed',
      utteranceSetVersion: UTTERANCE_SET_VERSION,
    };
  }
  return {
    scorer: trainScorer(shippedUtterances()),
    source: 'trained_in_memory',
    utteranceSetVersion: UTTERANCE_SET_VERSION,
  };
}
