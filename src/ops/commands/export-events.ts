import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Filter } from 'mongodb';
import { INTERRUPTED_EXIT_CODE, type OpsCommand } from '../command.js';
import { startProgress } from '../progress.js';
import { eventsCollection, type EventDoc } from '../../store/events.js';

/**
 * Stored engagement events as JSON lines, for training the ranker (models/). Written to `<out>.partial` and renamed
 * when complete, so an interrupted export never leaves a file that looks whole.
 */
export const exportEventsCommand: OpsCommand = {
  define(program, context) {
    program
      .command('export-events')
      .description('write stored events as JSON lines (one event a line) for training')
      .requiredOption('--out <file>', 'destination file (.jsonl)')
      .option('--since <iso>', 'events that occurred at or after this time')
      .option('--until <iso>', 'events that occurred before this time')
      .action(async (options: { out: string; since?: string; until?: string }) => {
        const ctx = context();
        const { db } = await ctx.mongo();
        const filter = occurredBetween(options.since, options.until);
        const total = await eventsCollection(db).countDocuments(filter);
        const partial = `${options.out}.partial`;
        const file = createWriteStream(partial);
        const progress = startProgress('export', total);
        let written = 0;
        for await (const doc of eventsCollection(db).find(filter).sort({ occurredAt: 1, _id: 1 })) {
          if (ctx.interrupted.aborted) break;
          const { _id, batchId: _batch, ...rest } = doc;
          if (!file.write(`${JSON.stringify({ eventId: _id, ...rest })}\n`)) await once(file, 'drain');
          written++;
          progress.increment();
        }
        progress.stop();
        file.end();
        await once(file, 'close');
        if (ctx.interrupted.aborted) {
          await rm(partial, { force: true });
          ctx.note(`interrupted after ${written} of ${total} events; nothing written to ${options.out}`);
          process.exitCode = INTERRUPTED_EXIT_CODE;
          return;
        }
        await rename(partial, options.out);
        ctx.print(`exported ${written} events to ${options.out}`);
      });
  },
};

function occurredBetween(since?: string, until?: string): Filter<EventDoc> {
  const range: { $gte?: Date; $lt?: Date } = {};
  if (since) range.$gte = parseTime('--since', since);
  if (until) range.$lt = parseTime('--until', until);
  return Object.keys(range).length ? { occurredAt: range } : {};
}

function parseTime(option: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`${option}: "${value}" is not an ISO date-time`);
  return date;
}
