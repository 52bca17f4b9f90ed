import type { Collection, Db, Filter } from 'mongodb';
import { INTERRUPTED_EXIT_CODE, type OpsCommand } from '../command.js';
import type { OpsContext } from '../context.js';
import { startProgress } from '../progress.js';
import { contentSummaries } from '../../store/content.js';
import { creatorStatsCollection } from '../../store/creator-stats.js';
import { eventsCollection, eventsOfBatches } from '../../store/events.js';
import { interestProfilesCollection } from '../../store/interest-profiles.js';
import { creatorMetricBatches } from '../../ingestion/creator-relay.js';
import { toEngagement } from '../../ingestion/event-relay.js';
import { signalCreatorMetrics, signalUserEngagements } from '../../workflow-clients/signals.js';

/** Events per signal, as the relay sends them (far below Temporal's payload limit). */
const EVENTS_PER_SIGNAL = 500;

/**
 * Re-sends stored events to the workflows that own the read models, for users or creators whose profile or stats are
 * missing (lost, or never built). The workflows drop event ids and batch parts they already applied; by default only
 * entities without a stored read model are backfilled, since a long-lived workflow no longer remembers old ids.
 */
export const backfillCommand: OpsCommand = {
  define(program, context) {
    const group = program
      .command('backfill')
      .description('rebuild interest profiles or creator stats from stored events');
    group
      .command('profiles')
      .description("send each user's stored events to their interest workflow")
      .option('--user <id...>', 'only these users')
      .option('--all', 'also users that already have a profile (may count events the workflow forgot twice)')
      .action((options: EntityOptions & { user?: string[] }) =>
        backfill(context(), 'users', options.user, options.all, {
          all: (db) => eventsCollection(db).distinct('userId'),
          existing: (db, ids) => idsStoredIn(interestProfilesCollection(db), ids),
          send: backfillUser,
        }),
      );
    group
      .command('creator-stats')
      .description("send the stored events about each creator's content to their stats workflow")
      .option('--creator <id...>', 'only these creators')
      .option('--all', 'also creators that already have stats')
      .action((options: EntityOptions & { creator?: string[] }) =>
        backfill(context(), 'creators', options.creator, options.all, {
          all: async (db) => (await eventsCollection(db).distinct('creatorId')).filter((id): id is string => !!id),
          existing: (db, ids) => idsStoredIn(creatorStatsCollection(db), ids),
          send: backfillCreator,
        }),
      );
  },
};

/** Which of `ids` have a document (keyed by that id) in the read model. */
async function idsStoredIn<T extends { _id: string }>(collection: Collection<T>, ids: string[]): Promise<string[]> {
  const docs = await collection.find({ _id: { $in: ids } } as Filter<T>, { projection: { _id: 1 } }).toArray();
  return docs.map((d) => String(d._id));
}

interface EntityOptions {
  all?: boolean;
}

interface Target {
  all(db: Db): Promise<string[]>;
  existing(db: Db, ids: string[]): Promise<string[]>;
  send(ctx: OpsContext, db: Db, id: string): Promise<number>;
}

async function backfill(ctx: OpsContext, what: string, only: string[] | undefined, all = false, target: Target) {
  const { db } = await ctx.mongo();
  const candidates = (only ?? (await target.all(db))).sort();
  const skip = all ? new Set<string>() : new Set(await target.existing(db, candidates));
  const todo = candidates.filter((id) => !skip.has(id));
  ctx.note(
    `${todo.length} ${what} to backfill (${skip.size} already have a read model${all ? '' : '; --all to include them'})`,
  );
  const progress = startProgress(`backfill ${what}`, todo.length);
  let done = 0;
  let events = 0;
  for (const id of todo) {
    if (ctx.interrupted.aborted) break;
    events += await target.send(ctx, db, id);
    done++;
    progress.increment();
  }
  progress.stop();
  ctx.print(`backfilled ${done} of ${todo.length} ${what} from ${events} events`);
  if (ctx.interrupted.aborted) {
    const rest = todo.slice(done);
    ctx.note(`interrupted; ${rest.length} left. Resume: the same command (done ones now have a read model)`);
    process.exitCode = INTERRUPTED_EXIT_CODE;
  }
}

async function backfillUser(ctx: OpsContext, db: Db, userId: string): Promise<number> {
  const { client } = await ctx.temporal();
  const docs = await eventsCollection(db).find({ userId }).sort({ occurredAt: 1 }).toArray();
  const contents = await contentSummaries(db, [...new Set(docs.flatMap((d) => (d.contentId ? [d.contentId] : [])))]);
  for (let i = 0; i < docs.length; i += EVENTS_PER_SIGNAL) {
    const part = docs.slice(i, i + EVENTS_PER_SIGNAL).map((d) => toEngagement(d, contents));
    await signalUserEngagements(client, ctx.config, userId, part);
  }
  return docs.length;
}

/** Whole outbox batches, as the relay reads them: a creator's part per batch must sum every event of that batch. */
async function backfillCreator(ctx: OpsContext, db: Db, creatorId: string): Promise<number> {
  const { client } = await ctx.temporal();
  const batchIds = await eventsCollection(db).distinct('batchId', { creatorId });
  const events = await eventsOfBatches(db, batchIds);
  const catalog = await contentSummaries(db, [...new Set(events.flatMap((e) => (e.contentId ? [e.contentId] : [])))]);
  const [batches] = await creatorMetricBatches(db, [events], catalog);
  const batch = batches?.get(creatorId);
  if (batch) await signalCreatorMetrics(client, ctx.config, creatorId, batch);
  return events.filter((e) => e.creatorId === creatorId).length;
}
