import { pino } from 'pino';
import { INTERRUPTED_EXIT_CODE, type OpsCommand } from '../command.js';
import { startProgress } from '../progress.js';
import { outboxCollection } from '../../store/event-outbox.js';
import { relayOnce } from '../../ingestion/event-relay.js';

/**
 * Relays stuck outbox entries now, from this process, a round at a time with the relay's own code (relayOnce), so a
 * redelivered event is dropped by the workflow's eventId check. For a relay that is down or keeps failing.
 */
export const redriveOutboxCommand: OpsCommand = {
  define(program, context) {
    program
      .command('redrive-outbox')
      .description('relay outbox entries older than --older-than-ms to their workflows now (idempotent)')
      .option('--older-than-ms <ms>', 'only when the oldest entry is at least this old', (v) => Number(v), 0)
      .option('--dry-run', 'count the stuck entries, relay nothing')
      .action(async (options: { olderThanMs: number; dryRun?: boolean }) => {
        const ctx = context();
        const { db } = await ctx.mongo();
        const stuckBefore = new Date(Date.now() - options.olderThanMs);
        const stuck = await outboxCollection(db).countDocuments({ createdAt: { $lt: stuckBefore } });
        ctx.print(`${stuck} outbox entries older than ${options.olderThanMs} ms`);
        if (options.dryRun || stuck === 0) return;

        const { client } = await ctx.temporal();
        // Every entry counts as relayable here, however fresh: the operator asked for now.
        const config = { ...ctx.config, OUTBOX_STALE_MS: 0 };
        const deps = { db, temporal: client, config, logger: pino({ level: 'warn' }) };
        const progress = startProgress('redrive', stuck);
        let events = 0;
        let left = stuck;
        while (left > 0 && !ctx.interrupted.aborted) {
          events += await relayOnce(deps);
          const now = await outboxCollection(db).countDocuments({ createdAt: { $lt: stuckBefore } });
          progress.increment(left - now);
          if (now === left) break; // nothing relayable left (entries still being written)
          left = now;
        }
        progress.stop();
        ctx.print(`relayed ${events} events; ${left} stuck entries left`);
        if (ctx.interrupted.aborted) process.exitCode = INTERRUPTED_EXIT_CODE;
      });
  },
};
