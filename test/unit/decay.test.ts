import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DAY_MS, decayFactor, decayTo } from '../../src/domain/decay.js';

const week = 7 * DAY_MS;

describe('decayFactor', () => {
  it('is exactly one half after one half-life and one quarter after two', () => {
    assert.equal(decayFactor(week, week), 0.5);
    assert.equal(decayFactor(2 * week, week), 0.25);
  });

  it('is 1 at zero elapsed time and never grows for negative elapsed time', () => {
    assert.equal(decayFactor(0, week), 1);
    assert.equal(decayFactor(-DAY_MS, week), 1);
  });

  it('decreases monotonically between half-lives', () => {
    const day1 = decayFactor(DAY_MS, week);
    const day3 = decayFactor(3 * DAY_MS, week);
    assert.ok(1 > day1 && day1 > day3 && day3 > 0.5);
  });

  it('does not decay with an infinite half-life and rejects a non-positive one', () => {
    assert.equal(decayFactor(week, Infinity), 1);
    assert.throws(() => decayFactor(week, 0), RangeError);
    assert.throws(() => decayFactor(week, -1), RangeError);
  });
});

describe('decayTo', () => {
  it('halves a value over one half-life', () => {
    assert.equal(decayTo(10, 1_000, 1_000 + week, week), 5);
  });

  it('leaves the value unchanged when going back in time', () => {
    assert.equal(decayTo(10, 1_000 + week, 1_000, week), 10);
  });

  it('composes: two steps equal one step of the summed time', () => {
    const twoSteps = decayTo(decayTo(8, 0, 2 * DAY_MS, week), 2 * DAY_MS, 9 * DAY_MS, week);
    assert.ok(Math.abs(twoSteps - decayTo(8, 0, 9 * DAY_MS, week)) < 1e-12);
  });
});
