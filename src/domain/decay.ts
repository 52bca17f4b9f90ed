/**
 * Exponential decay by half-life. Pure arithmetic (no clock): workflows pass workflow time in epoch milliseconds,
 * so replays compute the same numbers.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Fraction of a value left after `elapsedMs`: 2^(-t/h), so exactly 0.5 at t = h and 0.25 at t = 2h
 * (powers of two are exact in floating point). Never grows: elapsed time ≤ 0 gives 1, which is what keeps
 * a late event from "un-decaying" a profile. An infinite half-life means no decay.
 */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  if (!(halfLifeMs > 0)) {
    // A zero or negative half-life is a configuration bug; failing loudly beats silently wiping every profile.
    throw new RangeError(`halfLifeMs must be > 0, got ${halfLifeMs}`);
  }
  if (!(elapsedMs > 0)) return 1;
  return Math.pow(2, -elapsedMs / halfLifeMs);
}

/** `value` as observed at `fromMs`, decayed to `toMs`. Going back in time leaves it unchanged. */
export function decayTo(value: number, fromMs: number, toMs: number, halfLifeMs: number): number {
  return value * decayFactor(toMs - fromMs, halfLifeMs);
}
