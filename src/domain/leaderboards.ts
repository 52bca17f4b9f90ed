import { CREATOR_TIERS, type CreatorStats, type CreatorTier } from './creator-score.js';
import { addDays, dayStartMs, DAY_MS } from './utc-day.js';

/**
 * Leaderboards are derived from a creator's stats alone, so the worker's publish and the rebuild from Mongo compute
 * the same values with this module: score overall and per tier, views per UTC day and per UTC week (Monday first).
 * Values are absolute (not increments), which makes a retried or replayed publish harmless.
 */
export const LEADERBOARDS = [
  'score',
  ...CREATOR_TIERS.map((t) => `score-${t}` as const),
  'views-daily',
  'views-weekly',
] as const;
export type LeaderboardName = (typeof LEADERBOARDS)[number];

export interface CreatorBoardValues {
  score: number;
  tier: CreatorTier;
  day: string;
  dayViews: number;
  week: string;
  weekViews: number;
}

/** The Monday (UTC) starting the week that contains `day`. */
export function weekOf(day: string): string {
  const weekday = (new Date(dayStartMs(day)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(day, -weekday);
}

export function creatorBoardValues(stats: CreatorStats): CreatorBoardValues {
  const day = stats.today.day;
  const week = weekOf(day);
  const weekViews = [...stats.recentDays, stats.today]
    .filter((d) => d.day >= week && d.day <= day)
    .reduce((sum, d) => sum + d.views, 0);
  return { score: stats.score, tier: stats.tier, day, dayViews: stats.today.views, week, weekViews };
}

/** Which sorted set a board name and an optional day read from: daily boards by day, weekly by their Monday. */
export function boardPeriod(board: LeaderboardName, day: string): string | null {
  if (board === 'views-daily') return day;
  if (board === 'views-weekly') return weekOf(day);
  return null;
}

export function isLeaderboardName(value: string): value is LeaderboardName {
  return (LEADERBOARDS as readonly string[]).includes(value);
}

/** Daily boards are kept a bit over a week, weekly ones a bit over two weeks; Mongo keeps the history. */
export const DAILY_BOARD_TTL_MS = 8 * DAY_MS;
export const WEEKLY_BOARD_TTL_MS = 15 * DAY_MS;
