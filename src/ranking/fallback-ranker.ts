/**
 * The rule-based ranker: a hand-weighted sum of the same features the model sees. It serves whenever the ONNX
 * model or the precomputed feed is missing, and it is the "rule-based" baseline the model card measures the
 * model against, so changing a weight changes that baseline too (retrain to refresh the card).
 */
import { FEATURE_COUNT, FEATURE_NAMES, type FeatureName } from './features.js';

/** What serves a feed; the online path reports `name` so clients and metrics can tell a fallback apart. */
export interface Ranker {
  readonly name: 'onnx' | 'fallback';
  readonly version: string;
  /** One score per row of a rows × FEATURE_COUNT matrix; higher ranks first. */
  scoreBatch(matrix: Float32Array, rows: number): Promise<Float32Array>;
}

/**
 * Weights, with each feature's typical range in mind so no single term dominates by its units:
 * - interest_match (−1..1) leads: showing people their topics is the point of a personalised feed;
 * - follows_creator is an explicit request for more of that creator;
 * - engagement_rate (~0.02–0.3) × 4 and creator_score (0..1) stand for quality we know without the user;
 * - popularity_decayed (0..~10) × 0.25 lets trending items in without drowning personal matches;
 * - item_age_log_hours (1 day ≈ 3.2, 1 week ≈ 5.1) × −0.3 prefers fresh content;
 * - creator_shown_above penalises repeats, on top of the diversity rule;
 * - profile_depth is the same for every candidate of a user, so it cannot change an order: weight 0;
 * - the version-2 features (watch_rate … hour_window_share) are left to the model: weight 0 keeps this ranker,
 *   the baseline of every model card, the same as before them.
 */
export const FALLBACK_WEIGHTS: Readonly<Record<FeatureName, number>> = {
  interest_match: 3,
  content_type_pref: 1,
  creator_score: 1,
  creator_tier: 0.1,
  follows_creator: 1.5,
  item_age_log_hours: -0.3,
  popularity_decayed: 0.25,
  engagement_rate: 4,
  engagement_style_fit: 0.2,
  hour_fit: 0.5,
  creator_shown_above: -0.5,
  profile_depth: 0,
  watch_rate: 0,
  exposure_log: 0,
  is_live: 0,
  interest_share: 0,
  hour_window_share: 0,
  content_type_affinity: 0,
  creator_watch_rate: 0,
};

export const FALLBACK_RANKER_VERSION = 'fallback-v1';

const WEIGHTS = Float64Array.from(FEATURE_NAMES, (name) => FALLBACK_WEIGHTS[name]);

/** The score of one row of `matrix` (`row` counts rows, not floats). */
export function fallbackScore(matrix: Float32Array, row = 0): number {
  const o = row * FEATURE_COUNT;
  let score = 0;
  for (let f = 0; f < FEATURE_COUNT; f++) score += (WEIGHTS[f] as number) * (matrix[o + f] as number);
  return score;
}

/** Scores for the first `rows` rows, into `out` when it is large enough. */
export function fallbackScores(matrix: Float32Array, rows: number, out?: Float32Array): Float32Array {
  const scores = out && out.length >= rows ? out : new Float32Array(rows);
  for (let row = 0; row < rows; row++) scores[row] = fallbackScore(matrix, row);
  return scores;
}

export const fallbackRanker: Ranker = {
  name: 'fallback',
  version: FALLBACK_RANKER_VERSION,
  scoreBatch: (matrix, rows) => Promise.resolve(fallbackScores(matrix, rows)),
};
