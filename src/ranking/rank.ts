/**
 * The one ranking pipeline, used by GET /feed and by the batch-scoring activities alike: candidates → features →
 * ranker → rules. The ONNX model serves when it loads and scores; when it is missing, refused (feature mismatch)
 * or throws, the rule-based ranker serves the same features and the result says so, so callers can flag and count
 * the fallback instead of failing the feed.
 */
import type { InterestProfile } from '../domain/interest-profile.js';
import { fallbackRanker, type Ranker } from './fallback-ranker.js';
import { buildFeatureMatrix, userFeatures, type Candidate } from './features.js';
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

/** Chooses the ranker for a model path: the shared ONNX session, or the fallback with the reason it was refused. */
export async function resolveRanker(modelPath: string | undefined): Promise<{ ranker: Ranker; reason?: string }> {
  try {
    return { ranker: await loadOnnxRanker(modelPath ? { modelPath } : {}) };
  } catch (error) {
    return { ranker: fallbackRanker, reason: describe(error) };
  }
}

export interface RankInput {
  profile: InterestProfile | null;
  candidates: readonly Candidate[];
  rules: Pick<FeedRules, 'blockedCreators' | 'seenContent'> & Partial<FeedRules>;
  nowMs: number;
  /** Reused between calls by batch scoring, so a page of users allocates one matrix. */
  scratch?: Float32Array;
}

export async function rankCandidates(
  input: RankInput,
  choice: { ranker: Ranker; reason?: string },
): Promise<RankedFeed> {
  const { candidates } = input;
  const matrix = buildFeatureMatrix(userFeatures(input.profile), candidates, input.nowMs, undefined, input.scratch);
  let ranker = choice.ranker;
  let reason = choice.reason;
  let scores: Float32Array;
  try {
    scores = await ranker.scoreBatch(matrix, candidates.length);
  } catch (error) {
    ranker = fallbackRanker;
    reason = `model failed to score: ${describe(error)}`;
    scores = await fallbackRanker.scoreBatch(matrix, candidates.length);
  }
  const scored = candidates.map((c, i): ScoredItem => ({
    contentId: c.item.contentId,
    creatorId: c.item.creatorId,
    score: scores[i] ?? Number.NaN,
    creatorScore: c.creator.score,
  }));
  const items = applyFeedRules(scored, { ...DEFAULT_FEED_RULES, ...input.rules });
  return {
    items,
    ranker: ranker.name,
    rankerVersion: ranker.version,
    ...(ranker.name === 'fallback' ? { fallbackReason: reason ?? 'no model configured' } : {}),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
