// What a creator's audience did, as counters. The ingestion relay sums events per creator per short window
// and signals the creator workflow with one delta, so a delta may carry thousands of events at once.

/** Counts over some period (a day, the creator's lifetime). */
export interface MetricCounters {
  views: number;
  likes: number;
  shares: number;
  comments: number;
  /** Number of tips. */
  tips: number;
  /** Sum of tip amounts in minor currency units (cents), so sums stay exact integers. */
  tipAmount: number;
  followersGained: number;
  followersLost: number;
  watchTimeSeconds: number;
}

/** A summed delta from the relay; absent fields mean zero. */
export type MetricDelta = Partial<MetricCounters>;

/** One finished UTC day's counters, kept in the bounded recent history. */
export interface DailyCounters extends MetricCounters {
  day: string;
}

const COUNTER_KEYS = [
  'views',
  'likes',
  'shares',
  'comments',
  'tips',
  'tipAmount',
  'followersGained',
  'followersLost',
  'watchTimeSeconds',
] as const satisfies readonly (keyof MetricCounters)[];

// Amounts that may legitimately be fractional; everything else counts discrete events.
const FRACTIONAL_KEYS: ReadonlySet<keyof MetricCounters> = new Set(['watchTimeSeconds']);

export function emptyCounters(): MetricCounters {
  return {
    views: 0,
    likes: 0,
    shares: 0,
    comments: 0,
    tips: 0,
    tipAmount: 0,
    followersGained: 0,
    followersLost: 0,
    watchTimeSeconds: 0,
  };
}

/**
 * A delta as counters the totals can safely absorb. Signal handlers must not throw at the sender, so
 * malformed values (negative, NaN, Infinity, non-numbers) count as zero instead of poisoning the totals.
 */
export function sanitiseDelta(delta: MetricDelta): MetricCounters {
  const clean = emptyCounters();
  for (const key of COUNTER_KEYS) {
    const value: unknown = delta[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) continue;
    clean[key] = FRACTIONAL_KEYS.has(key) ? value : Math.floor(value);
  }
  return clean;
}

export function addCounters(a: MetricCounters, b: MetricCounters): MetricCounters {
  const sum = emptyCounters();
  for (const key of COUNTER_KEYS) sum[key] = a[key] + b[key];
  return sum;
}

export function engagements(c: MetricCounters): number {
  return c.likes + c.comments + c.shares;
}

/** A day counts towards consistency when the audience did anything at all with the creator's work. */
export function isActiveDay(c: MetricCounters): boolean {
  return c.views > 0 || engagements(c) > 0 || c.tips > 0 || c.followersGained > 0;
}
