/**
 * `npm run brain:eval`: scores Brain Mode's planner (the shipped model and its safety rule) on the held-out utterances (src/nlp/intents/heldout.json,
 * never trained on) and prints the per-intent precision/recall table, the held-out accuracy and how many held-out
 * out-of-scope requests the planner would have turned into a state-changing plan. Exits 1 below the bar the unit
 * test test/unit/brain-eval.test.ts also holds (95 %, and no such plan). `--misses` lists what it got wrong.
 */
import { answerOf } from '../src/api/routes/brain/plan.js';
import {
  EVAL_CLOCK,
  EVAL_SCREEN,
  evaluate,
  formatEvaluation,
  MIN_HELD_OUT_ACCURACY,
} from '../src/nlp/intents/evaluation.js';

const result = evaluate((text) => answerOf(text, EVAL_CLOCK, EVAL_SCREEN));
console.log(formatEvaluation(result));
if (process.argv.includes('--misses')) {
  for (const m of result.misses) console.log(`  expected ${m.expected}, got ${m.got}: "${m.text}"`);
}
process.exit(result.accuracy >= MIN_HELD_OUT_ACCURACY && result.statefulNegatives.length === 0 ? 0 : 1);
