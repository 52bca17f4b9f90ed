import type { OpsCommand } from '../command.js';
import { rebuildLeaderboards } from '../../store/leaderboards.js';

/** The Redis leaderboards from creator_stats (MongoDB), swapped in whole: readers never see half a board. */
export const rebuildLeaderboardsCommand: OpsCommand = {
  define(program, context) {
    program
      .command('rebuild-leaderboards')
      .description('rebuild every creator leaderboard in Redis from creator_stats in MongoDB')
      .action(async () => {
        const ctx = context();
        const { db } = await ctx.mongo();
        const { creators, boards } = await rebuildLeaderboards(db, await ctx.redis(), Date.now());
        ctx.print(`rebuilt ${boards} leaderboards from ${creators} creators`);
      });
  },
};
