/**
 * Creator score (0–100), tier and day bookkeeping for the creator-stats workflow.
 *
 * The score looks at a window of the last WINDOW_DAYS = 28 UTC days including today and blends four
 * components, each in [0, 1] and each log-scaled so that volume helps with diminishing returns:
 *
 *   E engagement, weight 0.35. Rate r = (likes + comments + shares + 0.01 × 500) / (views + 500) over the
 *     window: a prior of 500 views at 1 %, so 3 views with 3 likes read as ~1.6 %, not 100 %.
 *     E = min(1, log2(1 + r / 0.02) / log2(1 + 0.30 / 0.02)): 1 % → 0.15, 2 % → 0.25, 10 % → 0.65, ≥ 30 % → 1.
 *   G growth, weight 0.25. Per day g = min(1, log10(1 + max(0, gained − lost)) / log10(1 + 100)), so a day
 *     saturates at +100 net followers; G = Σ g / 28 over the whole window (idle days count as 0).
 *   C consistency, weight 0.25. Active days in the window / 28 (active: any view, engagement, tip or follow).
 *   T tips, weight 0.15. Per day t = min(1, log10(1 + amount / 100) / log10(1 + 100)) with amount in cents,
 *     so a day saturates at 100 currency units; T = Σ t / 28.
 *
 *   score = round(100 × (0.35 E + 0.25 G + 0.25 C + 0.15 T), 1 decimal)
 *
 * Per-day saturation averaged over a fixed 28-day denominator is what stops one viral video from maxing
 * the score: a single huge day adds at most 1/28 to G, C and T, and E is a bounded rate. A brand-new
 * creator scores ~5 (the prior's engagement), never NaN.
 */
import {
  addCounters,
  emptyCounters,
  engagements,
  isActiveDay,
  sanitiseDelta,
  type DailyCounters,
  type MetricCounters,
  type MetricDelta,
} from './creator-metrics.js';
import { creatorTier, tierBand, type CreatorTier } from './creator-tier.js';
import { addDays, dayStartMs, utcDay } from './utc-day.js';

export * from './creator-metrics.js';
export * from './creator-tier.js';
export { nextUtcMidnight, utcDay } from './utc-day.js';

export const WINDOW_DAYS = 28;
export const SCORE_WEIGHTS = { engagement: 0.35, growth: 0.25, consistency: 0.25, tips: 0.15 } as const;
const PRIOR_VIEWS = 500;
const PRIOR_RATE = 0.01;
const RATE_SCALE = 0.02;
const RATE_CEILING = 0.3;
const DAILY_FOLLOWER_TARGET = 100;
const DAILY_TIP_TARGET_UNITS = 100;

export interface CreatorStats {
  totals: MetricCounters;
  /** Today's counters; `day` is the UTC day they belong to. */
  today: DailyCounters;
  /** Finished active days inside the score window, oldest first; idle days are not stored (bounded state). */
  recentDays: DailyCounters[];
  followers: number;
  score: number;
  tier: CreatorTier;
  lastEventAtMs: number | null;
}

export interface ScoreBreakdown {
  engagement: number;
  growth: number;
  consistency: number;
  tips: number;
}

/** The document written to `creator_snapshots` (the store adds creatorId). */
export interface CreatorSnapshot {
  day: string;
  counters: MetricCounters;
  /** Running totals when the snapshot was taken, i.e. at or just after the following midnight. */
  totals: MetricCounters;
  followers: number;
  score: number;
  tier: CreatorTier;
}

const clamp01 = (x: number): number => (x > 1 ? 1 : x > 0 ? x : 0);
const saturating = (value: number, target: number): number => clamp01(Math.log10(1 + value) / Math.log10(1 + target));

function windowDays(stats: CreatorStats): DailyCounters[] {
  const first = addDays(stats.today.day, -(WINDOW_DAYS - 1));
  return [...stats.recentDays.filter((d) => d.day >= first && d.day < stats.today.day), stats.today];
}

export function scoreBreakdown(stats: CreatorStats): ScoreBreakdown {
  const days = windowDays(stats);
  const sum = days.reduce<MetricCounters>((acc, d) => addCounters(acc, d), emptyCounters());
  const rate = (engagements(sum) + PRIOR_RATE * PRIOR_VIEWS) / (sum.views + PRIOR_VIEWS);
  const perDay = (f: (d: DailyCounters) => number): number => days.reduce((acc, d) => acc + f(d), 0) / WINDOW_DAYS;
  return {
    engagement: clamp01(Math.log2(1 + rate / RATE_SCALE) / Math.log2(1 + RATE_CEILING / RATE_SCALE)),
    growth: perDay((d) => saturating(Math.max(0, d.followersGained - d.followersLost), DAILY_FOLLOWER_TARGET)),
    consistency: perDay((d) => (isActiveDay(d) ? 1 : 0)),
    tips: perDay((d) => saturating(d.tipAmount / 100, DAILY_TIP_TARGET_UNITS)),
  };
}

export function creatorScore(stats: CreatorStats): number {
  const b = scoreBreakdown(stats);
  const w = SCORE_WEIGHTS;
  const raw = w.engagement * b.engagement + w.growth * b.growth + w.consistency * b.consistency + w.tips * b.tips;
  return Math.round(1000 * clamp01(raw)) / 10;
}

function rescored(stats: CreatorStats): CreatorStats {
  const score = creatorScore(stats);
  return { ...stats, score, tier: creatorTier(score, stats.tier) };
}

export function newCreatorStats(nowMs: number, followers = 0): CreatorStats {
  const stats: CreatorStats = {
    totals: emptyCounters(),
    today: { day: utcDay(nowMs), ...emptyCounters() },
    recentDays: [],
    followers: Math.max(0, Math.floor(followers)),
    score: 0,
    tier: 'bronze',
    lastEventAtMs: null,
  };
  const score = creatorScore(stats);
  return { ...stats, score, tier: tierBand(score) };
}

/**
 * Starts `newDay`: today's counters move into the recent history and reset. Idempotent and never goes back in
 * time, so a late or replayed midnight timer after a delta already rolled the day is a no-op.
 */
export function rollDay(stats: CreatorStats, newDay: string): CreatorStats {
  dayStartMs(newDay); // throws on a malformed day rather than corrupting the string-ordered history
  if (newDay <= stats.today.day) return stats;
  const first = addDays(newDay, -(WINDOW_DAYS - 1));
  const kept = isActiveDay(stats.today) ? [...stats.recentDays, stats.today] : stats.recentDays;
  const recentDays = kept.filter((d) => d.day >= first).slice(-(WINDOW_DAYS - 1));
  return rescored({ ...stats, today: { day: newDay, ...emptyCounters() }, recentDays });
}

/** Adds a delta that arrived at `nowMs`, first rolling over to a new UTC day if one has begun. */
export function applyMetricDelta(stats: CreatorStats, delta: MetricDelta, nowMs: number): CreatorStats {
  const clean = sanitiseDelta(delta);
  // A clock behind today's day (never expected from workflow time) counts into today rather than rewriting history.
  const rolled = rollDay(stats, utcDay(nowMs));
  return rescored({
    ...rolled,
    totals: addCounters(rolled.totals, clean),
    today: { day: rolled.today.day, ...addCounters(rolled.today, clean) },
    followers: Math.max(0, rolled.followers + clean.followersGained - clean.followersLost),
    lastEventAtMs: Math.max(rolled.lastEventAtMs ?? nowMs, nowMs),
  });
}

/** Snapshot content for `day`: today's counters, a finished day's from history, or zeros for an idle day. */
export function dailySnapshot(stats: CreatorStats, day: string): CreatorSnapshot {
  const found = day === stats.today.day ? stats.today : stats.recentDays.find((d) => d.day === day);
  const counters = found ? addCounters(emptyCounters(), found) : emptyCounters();
  return {
    day,
    counters,
    totals: { ...stats.totals },
    followers: stats.followers,
    score: stats.score,
    tier: stats.tier,
  };
}
