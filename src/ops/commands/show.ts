import type { OpsCommand } from '../command.js';
import type { OpsContext } from '../context.js';
import { loadCreatorStats } from '../../store/creator-stats.js';
import { readFeed } from '../../store/feeds.js';
import { loadInterestProfile } from '../../store/interest-profiles.js';
import { leaderboardKey } from '../../store/leaderboards.js';
import { workflowIds } from '../../../workflows/ids.js';
import { getProfileQuery } from '../../../workflows/user-interest/messages.js';
import { getStatsQuery } from '../../../workflows/creator-stats/messages.js';
import type { QueryDefinition } from '@temporalio/common';

/** One workflow as the CLI shows it: its status and, while it runs, what its query answers. */
interface WorkflowState {
  workflowId: string;
  status: string;
  runId?: string;
  query?: unknown;
}

async function workflowState(
  ctx: OpsContext,
  workflowId: string,
  query: QueryDefinition<unknown>,
): Promise<WorkflowState> {
  const { client } = await ctx.temporal();
  const handle = client.workflow.getHandle(workflowId);
  try {
    const described = await handle.describe();
    const status = described.status.name;
    const answer =
      status === 'RUNNING' ? await handle.query(query).catch((e: unknown) => `query failed: ${String(e)}`) : undefined;
    return { workflowId, status, runId: described.runId, ...(answer === undefined ? {} : { query: answer }) };
  } catch (error) {
    if (error instanceof Error && error.name === 'WorkflowNotFoundError') return { workflowId, status: 'NOT_FOUND' };
    throw error;
  }
}

/** A user's state in each place it lives: the stored profile, the cached feed, the interest workflow. */
export async function userState(ctx: OpsContext, userId: string) {
  const { db } = await ctx.mongo();
  const [profile, feed, workflow] = await Promise.all([
    loadInterestProfile(db, userId),
    ctx.redis().then((redis) => readFeed(redis, userId)),
    workflowState(ctx, workflowIds.userInterest(userId), getProfileQuery),
  ]);
  return {
    userId,
    store: { interestProfile: profile },
    cache: {
      feed: feed ? { items: feed.items.length, ranker: feed.ranker, computedAt: new Date(feed.computedAtMs) } : null,
    },
    workflow,
  };
}

/** A creator's stored stats, their leaderboard rank in Redis, and the stats workflow. */
export async function creatorState(ctx: OpsContext, creatorId: string) {
  const { db } = await ctx.mongo();
  const [stats, rank, workflow] = await Promise.all([
    loadCreatorStats(db, creatorId),
    ctx.redis().then((redis) => redis.zrevrank(leaderboardKey('score', null), creatorId)),
    workflowState(ctx, workflowIds.creatorStats(creatorId), getStatsQuery),
  ]);
  return { creatorId, store: { creatorStats: stats }, cache: { scoreRank: rank === null ? null : rank + 1 }, workflow };
}

export const showCommand: OpsCommand = {
  define(program, context) {
    const group = program.command('show').description("one user's or creator's state across store, cache and workflow");
    group
      .command('user <userId>')
      .description('interest profile (MongoDB), feed (Redis), interest workflow status and profile query')
      .action(async (userId: string) => context().print(JSON.stringify(await userState(context(), userId), null, 2)));
    group
      .command('creator <creatorId>')
      .description('creator_stats (MongoDB), score leaderboard rank (Redis), stats workflow status and query')
      .action(async (creatorId: string) =>
        context().print(JSON.stringify(await creatorState(context(), creatorId), null, 2)),
      );
  },
};
