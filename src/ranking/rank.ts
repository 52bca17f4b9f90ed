/**
 * The one ranking pipeline, used by GET /feed and by the batch-scoring activities alike: candidates → features →
 * ranker → rules. The ONNX model serves when it loads and scores; when it is missing, refused (feature mismatch)
 * or throws, the rule-based ranker serves the same features and the result says so, so callers can flag and count
 * the fallback instead of failing the feed.
 */
import type { InterestProfile } from '../domain/interest-profile.js';
import { fallbackRanker, type Ranker } from './fallback-ranker.js';
import { buildFeatureMatrix, FEATURE_COUNT, userFeatures, type Candidate } from './features.js';
import { servingModel } from '../learning/model-registry.js';
import { loadOnnxRanker } from './onnx-ranker.js';
import { applyFeedRules, DEFAULT_FEED_RULES, type FeedRules, type ScoredItem } from './rules.js';

export type RankerName = Ranker['name'];

export interface RankedFeed {
  items: ScoredItem[];
  ranker: RankerName;
  rankerVersion: string;
  /** Why the fallback served; absent when the model did. */
  fallbackReason?: string;
}

/**
 * Chooses the ranker for a model path (a file, or a registry directory whose current pointer is followed, so a
 * promotion reaches every caller without a restart): the shared ONNX session, or the fallback with the reason.
 */
export async function resolveRanker(modelPath: string | undefined): Promise<{ ranker: Ranker; reason?: string }> {
  try {
    return { ranker: await loadOnnxRanker({ modelPath: (await servingModel(modelPath, 'current')).modelPath }) };
  } catch (error) {
    return { ranker: fallbackRanker, reason: describe(error) };
  }
}

export interface RankInput {
  profile: InterestProfile | null;
  candidates: readonly Candidate[];
  rules: Pick<FeedRules, 'blockedCreators' | 'seenContent'> & Partial<FeedRules>;
  nowMs: number;
  /** A feature matrix to reuse when it is large enough (rankCandidates). */
  scratch?: Float32Array;
}

export async function rankCandidates(
  input: RankInput,
  choice: { ranker: Ranker; reason?: string },
): Promise<RankedFeed> {
  return (await rankMany([input], choice, input.scratch))[0] as RankedFeed;
}

/**
 * Several users' candidates scored in one model call (batch scoring ranks a chunk at once: one inference over
 * thousands of rows costs far less than one per user), then each user's rules. The same result as ranking each
 * input alone; a model failure sends every input of the call to the fallback.
 */
export async function rankMany(
  inputs: readonly RankInput[],
  choice: { ranker: Ranker; reason?: string },
  scratch?: Float32Array,
): Promise<RankedFeed[]> {
  const rows = inputs.reduce((sum, input) => sum + input.candidates.length, 0);
  const matrix = scratch && scratch.length >= rows * FEATURE_COUNT ? scratch : new Float32Array(rows * FEATURE_COUNT);
  let row = 0;
  for (const input of inputs) {
    const block = matrix.subarray(row * FEATURE_COUNT, (row + input.candidates.length) * FEATURE_COUNT);
    buildFeatureMatrix(userFeatures(input.profile), input.candidates, input.nowMs, undefined, block);
    row += input.candidates.length;
  }
  let ranker = choice.ranker;
  let reason = choice.reason;
  let scores: Float32Array;
  try {
    scores = await ranker.scoreBatch(matrix, rows);
  } catch (error) {
    ranker = fallbackRanker;
    reason = `model failed to score: ${describe(error)}`;
    scores = await fallbackRanker.scoreBatch(matrix, rows);
  }
  let first = 0;
  return inputs.map((input): RankedFeed => {
    const scored = input.candidates.map((c, i): ScoredItem => ({
      contentId: c.item.contentId,
      creatorId: c.item.creatorId,
      score: scores[first + i] ?? Number.NaN,
      creatorScore: c.creator.score,
    }));
    first += input.candidates.length;
    return {
      items: applyFeedRules(scored, { ...DEFAULT_FEED_RULES, ...input.rules }),
      ranker: ranker.name,
      rankerVersion: ranker.version,
      ...(ranker.name === 'fallback' ? { fallbackReason: reason ?? 'no model configured' } : {}),
    };
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
