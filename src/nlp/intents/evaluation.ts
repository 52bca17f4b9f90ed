import heldOut from './heldout.json' with { type: 'json' };
import { OUT_OF_SCOPE } from './catalog.js';
import type { RecognitionContext } from './classifier.js';
import { labelledUtterances, type Utterance } from './model.js';

/**
 * Scores Brain Mode's answers on the held-out utterances (heldout.json, never trained on): per-label precision and
 * recall, overall accuracy, and the out-of-scope negatives the planner made a state-changing plan of (must be none). `npm run brain:eval` prints it; test/unit/brain-eval.test.ts gates on it.
 */

/** What a recognition counts as: the intent it committed to, out_of_scope, or `clarify` for any other question. */
export const ASKED = 'clarify';

export interface LabelScore {
  label: string;
  support: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
}

export interface Evaluation {
  total: number;
  correct: number;
  accuracy: number;
  labels: LabelScore[];
  misses: Array<{ text: string; expected: string; got: string }>;
  /** Held-out negatives the planner turned into a plan that changes state: must stay empty. */
  statefulNegatives: string[];
  negatives: number;
}

export function heldOutUtterances(): Utterance[] {
  return labelledUtterances(heldOut);
}

/**
 * What Brain Mode answered a text with: the intent it planned or navigated by (or asked a missing slot of), or
 * out_of_scope / clarify for a question back; and whether it would have started a command that changes state.
 */
export interface Answer {
  label: string;
  changesState: boolean;
}

/** For a request Brain Mode does not serve any question back is right: each one says what Brain Mode can do. */
function scoredLabel(answer: Answer, expected: string): string {
  return expected === OUT_OF_SCOPE && answer.label === ASKED ? OUT_OF_SCOPE : answer.label;
}

export function evaluate(
  answer: (text: string) => Answer,
  utterances: readonly Utterance[] = heldOutUtterances(),
): Evaluation {
  const outcomes = utterances.map((u) => {
    const given = answer(u.text);
    return { text: u.text, expected: u.intent as string, got: scoredLabel(given, u.intent), ...given };
  });
  const labels = [...new Set(utterances.map((u) => u.intent as string))].map((label) => {
    const support = outcomes.filter((o) => o.expected === label).length;
    const predicted = outcomes.filter((o) => o.got === label).length;
    const correct = outcomes.filter((o) => o.expected === label && o.got === label).length;
    return {
      label,
      support,
      predicted,
      correct,
      precision: predicted === 0 ? 1 : correct / predicted,
      recall: support === 0 ? 1 : correct / support,
    };
  });
  const misses = outcomes
    .filter((o) => o.got !== o.expected)
    .map(({ text, expected, got }) => ({ text, expected, got }));
  const negatives = outcomes.filter((o) => o.expected === OUT_OF_SCOPE);
  return {
    total: outcomes.length,
    correct: outcomes.length - misses.length,
    accuracy: outcomes.length === 0 ? 0 : (outcomes.length - misses.length) / outcomes.length,
    labels,
    misses,
    statefulNegatives: negatives.filter((o) => o.changesState).map((o) => o.text),
    negatives: negatives.length,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The table as `npm run brain:eval` prints it (and the README quotes it). */
export function formatEvaluation(e: Evaluation): string {
  const width = Math.max(...e.labels.map((l) => l.label.length), 'intent'.length);
  const row = (cells: string[]): string =>
    `| ${cells[0]?.padEnd(width)} | ${cells
      .slice(1)
      .map((c) => c.padStart(9))
      .join(' | ')} |`;
  const lines = [
    row(['intent', 'held out', 'precision', 'recall']),
    `|${'-'.repeat(width + 2)}|${Array(3)
      .fill('-'.repeat(10) + ':')
      .join('|')}|`,
    ...e.labels.map((l) => row([l.label, String(l.support), pct(l.precision), pct(l.recall)])),
  ];
  return [
    ...lines,
    '',
    `held-out accuracy: ${pct(e.accuracy)} (${e.correct}/${e.total}; a question back counts as wrong)`,
    `state-changing plans on the ${e.negatives} held-out out-of-scope requests: ${e.statefulNegatives.length}`,
  ].join('\n');
}

/** The bar held in CI: held-out accuracy at least this, and no state-changing plan from a held-out negative. */
export const MIN_HELD_OUT_ACCURACY = 0.95;

/** A fixed clock for the evaluation, so its figures do not depend on the day it runs. */
export const EVAL_CLOCK: RecognitionContext = { timezone: 'Europe/Berlin', nowMs: Date.parse('2026-06-10T10:00:00Z') };

/** What is on screen while the held-out utterances are spoken: gestures like "heart it" act on it. */
export const EVAL_SCREEN = { contentId: 'eval-item', creatorId: 'eval-creator', stationId: 'eval-station' };
