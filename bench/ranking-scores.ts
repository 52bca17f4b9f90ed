/**
 * Feed ranking throughput and latency on one core: candidate scores/s at batch sizes 1, 100 and 1000 (features +
 * model), and rank-500-candidates latency (features + model + feed rules), for the ONNX ranker and, in the same
 * run, the rule-based fallback. Prints figures; it is not a test. Run: npx tsx bench/ranking-scores.ts
 */
import { CONTENT_TYPES } from '../src/domain/engagement.js';
import { CREATOR_TIERS } from '../src/domain/creator-tier.js';
import type { InterestProfile } from '../src/domain/interest-profile.js';
import { fallbackRanker, type Ranker } from '../src/ranking/fallback-ranker.js';
import { buildFeatureMatrix, FEATURE_COUNT, userFeatures, type Candidate } from '../src/ranking/features.js';
import { loadOnnxRanker, releaseOnnxRankers } from '../src/ranking/onnx-ranker.js';
import { applyFeedRules, DEFAULT_FEED_RULES, type FeedRules, type ScoredItem } from '../src/ranking/rules.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2025, 5, 1, 20);
const SECONDS_PER_CASE = Number(process.env.BENCH_SECONDS ?? 2);
const TOPICS = Array.from({ length: 200 }, (_, i) => `topic-${i}`);

let seed = 42;
const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

// A busy user: a full top-50 topic profile, activity all day.
const profile: InterestProfile = {
  userId: 'bench-user',
  topics: Object.fromEntries(TOPICS.slice(0, 50).map((t) => [t, random() * 10 - 1])),
  contentTypes: Object.fromEntries(CONTENT_TYPES.map((t) => [t, random() * 5])) as InterestProfile['contentTypes'],
  eventCounts: {
    view: 300,
    like: 40,
    share: 5,
    comment: 8,
    tip: 1,
    follow: 3,
    skip: 90,
    hide: 2,
    report: 0,
    watch_time: 250,
  },
  hours: Array.from({ length: 24 }, () => random() * 10),
  updatedAtMs: NOW,
  lastEventAtMs: NOW,
  appliedEvents: 700,
};
const candidates: Candidate[] = Array.from({ length: 1000 }, (_, i) => ({
  item: {
    contentId: `content-${i}`,
    creatorId: `creator-${Math.floor(random() * 150)}`,
    type: pick(CONTENT_TYPES),
    topics: [pick(TOPICS), pick(TOPICS), pick(TOPICS.slice(0, 60))],
    createdAtMs: NOW - random() * 14 * 24 * HOUR,
    popularity: { views: Math.floor(random() * 1e5), likes: Math.floor(random() * 5e3), shares: 40, comments: 90 },
  },
  creator: { score: random() * 100, tier: pick(CREATOR_TIERS) },
  followsCreator: random() < 0.1,
}));
const creatorScores = new Map(candidates.map((c) => [c.item.contentId, c.creator.score]));
const rules: FeedRules = {
  ...DEFAULT_FEED_RULES,
  blockedCreators: new Set(['creator-1', 'creator-2', 'creator-3']),
  seenContent: new Set(candidates.filter((_, i) => i % 10 === 0).map((c) => c.item.contentId)),
};
const buffer = new Float32Array(1000 * FEATURE_COUNT);

async function scoresPerSecond(ranker: Ranker, batch: number): Promise<number> {
  const slices = Array.from({ length: 1000 / batch }, (_, i) => candidates.slice(i * batch, (i + 1) * batch));
  let scored = 0;
  const start = performance.now();
  for (let n = 0; performance.now() - start < SECONDS_PER_CASE * 1000; n++) {
    const user = userFeatures(profile); // one request = one user: their side is part of the cost
    const matrix = buildFeatureMatrix(user, slices[n % slices.length] ?? [], NOW, undefined, buffer);
    await ranker.scoreBatch(matrix, batch);
    scored += batch;
  }
  return scored / ((performance.now() - start) / 1000);
}

async function rankLatencies(ranker: Ranker, size: number): Promise<{ p50: number; p99: number; n: number }> {
  const pool = candidates.slice(0, size);
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < SECONDS_PER_CASE * 1000) {
    const t0 = performance.now();
    const matrix = buildFeatureMatrix(userFeatures(profile), pool, NOW, undefined, buffer);
    const scores = await ranker.scoreBatch(matrix, size);
    const scored: ScoredItem[] = pool.map(({ item }, i) => ({
      contentId: item.contentId,
      creatorId: item.creatorId,
      score: scores[i] ?? 0,
      creatorScore: creatorScores.get(item.contentId) ?? 0,
    }));
    applyFeedRules(scored, rules);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), n: times.length };
}

const onnx = await loadOnnxRanker({ intraOpThreads: 1 });
console.log(
  `feed ranking bench — ${FEATURE_COUNT} features, model ${onnx.version}, ${SECONDS_PER_CASE}s per case, 1 thread`,
);
for (const ranker of [onnx, fallbackRanker] as Ranker[]) {
  await scoresPerSecond(ranker, 100); // warm-up: JIT and the session's first runs
  for (const batch of [1, 100, 1000]) {
    const rate = await scoresPerSecond(ranker, batch);
    console.log(
      `${ranker.name.padEnd(8)} batch ${String(batch).padStart(4)}: ${Math.round(rate).toLocaleString('en-US').padStart(11)} scores/s`,
    );
  }
  const { p50, p99, n } = await rankLatencies(ranker, 500);
  console.log(
    `${ranker.name.padEnd(8)} rank 500 (features + scores + rules): p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms (${n} runs)`,
  );
}
const featuresOnly = performance.now();
let rows = 0;
while (performance.now() - featuresOnly < SECONDS_PER_CASE * 1000) {
  buildFeatureMatrix(userFeatures(profile), candidates, NOW, undefined, buffer);
  rows += candidates.length;
}
console.log(
  `features only, batch 1000: ${Math.round(rows / ((performance.now() - featuresOnly) / 1000)).toLocaleString('en-US')} rows/s`,
);
await releaseOnnxRankers();
