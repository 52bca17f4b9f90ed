import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { answerOf } from '../../src/api/routes/brain/plan.js';
import { REPO_ROOT } from '../../src/dev/tools.js';
import {
  EVAL_CLOCK,
  EVAL_SCREEN,
  evaluate,
  formatEvaluation,
  heldOutUtterances,
  MIN_HELD_OUT_ACCURACY,
} from '../../src/nlp/intents/evaluation.js';
import { INTENT_NAMES, OUT_OF_SCOPE } from '../../src/nlp/intents/catalog.js';
import { shippedUtterances } from '../../src/nlp/intents/model.js';

// The same evaluation `npm run brain:eval` prints, held as a gate in CI.
void describe('Brain Mode held-out evaluation', () => {
  const heldOut = heldOutUtterances();
  const result = evaluate((text) => answerOf(text, EVAL_CLOCK, EVAL_SCREEN), heldOut);

  void it('is held out: no held-out utterance is in the training set, and every intent has some', () => {
    const trained = new Set(shippedUtterances().map((u) => u.text));
    assert.deepEqual(
      heldOut.filter((u) => trained.has(u.text)).map((u) => u.text),
      [],
    );
    for (const intent of [...INTENT_NAMES, OUT_OF_SCOPE]) {
      assert.ok(heldOut.filter((u) => u.intent === intent).length >= 8, intent);
    }
  });

  void it(`answers at least ${MIN_HELD_OUT_ACCURACY * 100}% of the held-out utterances right`, () => {
    console.log(formatEvaluation(result));
    assert.ok(
      result.accuracy >= MIN_HELD_OUT_ACCURACY,
      `held-out accuracy ${result.accuracy}; misses: ${JSON.stringify(result.misses)}`,
    );
  });

  void it('is the table the README quotes, figure for figure', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    assert.ok(
      readme.includes(formatEvaluation(result)),
      'README.md quotes another brain:eval result; paste the new one',
    );
  });

  void it('makes no state-changing plan from any held-out out-of-scope request', () => {
    assert.equal(result.negatives, heldOut.filter((u) => u.intent === OUT_OF_SCOPE).length);
    assert.deepEqual(result.statefulNegatives, []);
  });

  void it('scores what it is given: a planner that plans everything fails both bars', () => {
    const reckless = evaluate(() => ({ label: 'cancel_show', changesState: true }), heldOut);
    assert.ok(reckless.accuracy < MIN_HELD_OUT_ACCURACY);
    assert.equal(reckless.statefulNegatives.length, reckless.negatives);
  });
});
