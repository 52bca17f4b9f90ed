import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { CREATOR_TIERS, type CreatorStats } from '../domain/creator-score.js';
import {
  creatorBoardValues,
  DAILY_BOARD_TTL_MS,
  WEEKLY_BOARD_TTL_MS,
  weekOf,
  type CreatorBoardValues,
  type LeaderboardName,
} from '../domain/leaderboards.js';
import { addDays, dayStartMs, utcDay } from '../domain/utc-day.js';
import { contentCollection } from './content.js';
import { allCreatorStats } from './creator-stats.js';
import { redisKeys } from './redis-keys.js';

/**
 * Leaderboards as Redis sorted sets (member creatorId, score the board's value). Redis is derived data here: the
 * creator_stats read model holds everything needed to rebuild every board (rebuildLeaderboards).
 */
const SCORE_BOARD = redisKeys.leaderboard('score');
const tierBoard = (tier: string) => redisKeys.leaderboard(`score-${tier}`);
const dailyBoard = (day: string) => redisKeys.leaderboard('views-daily', day);
const weeklyBoard = (week: string) => redisKeys.leaderboard('views-weekly', week);

export function leaderboardKey(board: LeaderboardName, period: string | null): string {
  return redisKeys.leaderboard(board, period);
}

/**
 * Boards list creators only: accounts with at least one item in the catalog. Anyone may have stats (a plain user
 * gains followers), but a board of people who never published is not a creator board.
 */
export async function isListedCreator(db: Db, userId: string): Promise<boolean> {
  return (await contentCollection(db).findOne({ creatorId: userId }, { projection: { _id: 1 } })) !== null;
}

async function listedCreators(db: Db): Promise<Set<string>> {
  return new Set((await contentCollection(db).distinct('creatorId')) as string[]);
}

/** Sets a creator's place on every board; absolute values, so a retry or a replay changes nothing. */
export async function publishCreatorBoards(redis: Redis, creatorId: string, v: CreatorBoardValues): Promise<void> {
  const tx = redis.multi().zadd(SCORE_BOARD, v.score, creatorId);
  for (const tier of CREATOR_TIERS) {
    if (tier === v.tier) tx.zadd(tierBoard(tier), v.score, creatorId);
    else tx.zrem(tierBoard(tier), creatorId);
  }
  if (v.dayViews > 0) {
    tx.zadd(dailyBoard(v.day), v.dayViews, creatorId).pexpireat(
      dailyBoard(v.day),
      dayStartMs(v.day) + DAILY_BOARD_TTL_MS,
    );
  }
  if (v.weekViews > 0) {
    tx.zadd(weeklyBoard(v.week), v.weekViews, creatorId);
    tx.pexpireat(weeklyBoard(v.week), dayStartMs(v.week) + WEEKLY_BOARD_TTL_MS);
  }
  await tx.exec();
}

export interface BoardEntry {
  rank: number;
  creatorId: string;
  value: number;
}

/** Highest first, from 0-based `offset`; `more` says whether entries follow this page. */
export async function readLeaderboard(
  redis: Redis,
  key: string,
  offset: number,
  limit: number,
): Promise<{ entries: BoardEntry[]; more: boolean }> {
  const flat = await redis.zrevrange(key, offset, offset + limit, 'WITHSCORES');
  const entries: BoardEntry[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    entries.push({ rank: offset + i / 2 + 1, creatorId: flat[i] as string, value: Number(flat[i + 1]) });
  }
  return { entries: entries.slice(0, limit), more: entries.length > limit };
}

/** Member → value per board key, for the boards the rebuild owns (score, tiers, the last week of days and weeks). */
function boardsOf(stats: CreatorStats, nowMs: number): Map<string, number> {
  const out = new Map<string, number>();
  const v = creatorBoardValues(stats);
  out.set(SCORE_BOARD, v.score).set(tierBoard(v.tier), v.score);
  const firstDay = addDays(utcDay(nowMs), -7);
  for (const d of [...stats.recentDays, stats.today])
    if (d.day >= firstDay && d.views > 0) out.set(dailyBoard(d.day), d.views);
  if (v.weekViews > 0 && v.day >= firstDay) out.set(weeklyBoard(v.week), v.weekViews);
  return out;
}

function expiryOf(key: string): number | null {
  const period = key.slice(key.lastIndexOf(':') + 1);
  if (key.startsWith(dailyBoard(''))) return dayStartMs(period) + DAILY_BOARD_TTL_MS;
  if (key.startsWith(weeklyBoard(''))) return dayStartMs(weekOf(period)) + WEEKLY_BOARD_TTL_MS;
  return null;
}

/**
 * Rebuilds the boards from Mongo (operator endpoint, worker start-up). Pages through creator_stats into scratch
 * keys and swaps each in with RENAME, so readers see the old board or the new one, never half of one. A publish
 * racing the swap may be overwritten by the Mongo value read a moment earlier; the creator's next publish fixes it.
 */
export async function rebuildLeaderboards(
  db: Db,
  redis: Redis,
  nowMs: number,
): Promise<{ creators: number; boards: number }> {
  const touched = new Set<string>();
  const listed = await listedCreators(db);
  let creators = 0;
  for await (const doc of allCreatorStats(db)) {
    if (!listed.has(doc._id)) continue;
    creators++;
    const tx = redis.multi();
    for (const [key, value] of boardsOf(doc.stats, nowMs)) {
      if (!touched.has(key)) tx.del(redisKeys.leaderboardRebuild(key)); // a crashed rebuild's leftovers
      touched.add(key);
      tx.zadd(redisKeys.leaderboardRebuild(key), value, doc._id);
    }
    await tx.exec();
  }
  const swap = redis.multi();
  for (const key of touched) {
    swap.rename(redisKeys.leaderboardRebuild(key), key);
    const expiry = expiryOf(key);
    if (expiry !== null) swap.pexpireat(key, expiry);
  }
  // A fixed board nobody belongs to any more must be emptied, not left with its old members.
  for (const key of [SCORE_BOARD, ...CREATOR_TIERS.map(tierBoard)]) if (!touched.has(key)) swap.del(key);
  await swap.exec();
  return { creators, boards: touched.size };
}

/** Worker start-up: a Redis that lost the boards (restart without persistence, FLUSHALL) gets them back. */
export async function ensureLeaderboards(db: Db, redis: Redis, nowMs: number): Promise<{ rebuilt: boolean }> {
  await whenReady(redis, 10_000); // a fresh client without an offline queue refuses commands until connected
  if ((await redis.exists(SCORE_BOARD)) === 1) return { rebuilt: false };
  await rebuildLeaderboards(db, redis, nowMs);
  return { rebuilt: true };
}

function whenReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not ready after ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
