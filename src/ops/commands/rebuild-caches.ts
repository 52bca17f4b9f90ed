import type { OpsCommand } from '../command.js';
import { rebuildHotCachesUnderLock, type RebuildCounts } from '../../cache/rebuild.js';

function render(counts: RebuildCounts): string {
  return [
    `rebuilt the hot caches in ${counts.ms} ms:`,
    `  catalog items   ${counts.items}`,
    `  graph edges     ${counts.edges}`,
    `  seen events     ${counts.events}`,
    `  profiles        ${counts.profiles}`,
    `  opt-outs        ${counts.optOuts}`,
    `  board creators  ${counts.creators}`,
    `  trending items  ${counts.popularItems}`,
  ].join('\n');
}

/**
 * The Redis hot caches (src/cache) from MongoDB, as `POST /api/v1/cache/rebuild` does, under the rebuild lock that
 * request paths take for their background rebuilds, so two rebuilds never interleave. Readers fall back to MongoDB
 * until it ends.
 */
export const rebuildCachesCommand: OpsCommand = {
  define(program, context) {
    program
      .command('rebuild-caches')
      .description('rebuild the Redis hot caches (catalog, graph, seen items, profiles, boards) from MongoDB')
      .option('--json', 'print the counts as one JSON document')
      .action(async (options: { json?: boolean }) => {
        const ctx = context();
        const { db } = await ctx.mongo();
        const redis = await ctx.redis();
        ctx.note('rebuilding the hot caches from MongoDB; requests read MongoDB until it ends (Ctrl-C waits for it)');
        const counts = await rebuildHotCachesUnderLock(db, redis, 0);
        if (counts === null) {
          throw new Error('another rebuild is running (API or ops); GET /api/v1/cache says when it is done');
        }
        ctx.print(options.json ? JSON.stringify(counts, null, 2) : render(counts));
      });
  },
};
