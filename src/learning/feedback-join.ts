/**
 * The feedback join: impressions + the engagements that followed them → labelled training rows (feedback_rows)
 * and per-page outcomes (feedback_pages, summed by online-metrics.ts). An impression is joined once its window
 * (FEEDBACK_WINDOW_MINUTES) has closed; an engagement counts for the latest earlier impression of the same item
 * for the same user, so a page served twice does not get the same like twice.
 */
import type { AnyBulkWriteOperation, Db } from 'mongodb';
import type { EngagementType } from '../domain/engagement.js';
import { eventsCollection } from '../store/events.js';
import { impressionsCollection, type ImpressionDoc } from '../impressions/store.js';
import {
  feedbackPagesCollection,
  feedbackRowsCollection,
  learningStateCollection,
  type FeedbackPageDoc,
  type FeedbackRowDoc,
} from './feedback-store.js';
import { inversePropensityWeight, outcomeOf } from './labels.js';

/** Engagement at k: whether a page's first k positions drew any engagement. */
export const ONLINE_K = 10;

export interface Engagement {
  userId: string;
  contentId: string;
  type: EngagementType;
  atMs: number;
}

export interface JoinedBatch {
  rows: FeedbackRowDoc[];
  pages: FeedbackPageDoc[];
}

/** Pure: labels every shown item of `impressions` from `engagements` within `windowMs` after the showing. */
export function joinFeedback(
  impressions: readonly ImpressionDoc[],
  engagements: readonly Engagement[],
  windowMs: number,
): JoinedBatch {
  const shows = new Map<string, number[]>(); // user + item → times shown, ascending
  for (const imp of impressions) {
    for (const item of imp.items) push(shows, `${imp.userId}\n${item.contentId}`, imp.at.getTime());
  }
  for (const times of shows.values()) times.sort((a, b) => a - b);
  const actions = new Map<string, EngagementType[]>(); // user + item + shown time → actions
  for (const e of engagements) {
    const key = `${e.userId}\n${e.contentId}`;
    const times = shows.get(key);
    const shownAt = times && latestAtOrBefore(times, e.atMs);
    if (shownAt === undefined || e.atMs >= shownAt + windowMs) continue;
    push(actions, `${key}\n${shownAt}`, e.type);
  }
  const rows: FeedbackRowDoc[] = [];
  const pages: FeedbackPageDoc[] = [];
  for (const imp of impressions) {
    const page: FeedbackPageDoc = {
      _id: imp._id,
      modelVersion: imp.modelVersion,
      arm: imp.arm,
      at: imp.at,
      hour: new Date(Math.floor(imp.at.getTime() / 3_600_000) * 3_600_000),
      items: imp.items.length,
      engagedItems: 0,
      engagedAtK: 0,
      headPage: imp.items.some((i) => i.position < ONLINE_K) ? 1 : 0,
      likes: 0,
      shares: 0,
      skips: 0,
    };
    for (const item of imp.items) {
      const done = actions.get(`${imp.userId}\n${item.contentId}\n${imp.at.getTime()}`) ?? [];
      const outcome = outcomeOf(done);
      rows.push({
        _id: `${imp._id}:${item.position}`,
        impressionId: imp._id,
        requestId: imp.requestId,
        userId: imp.userId,
        contentId: item.contentId,
        creatorId: item.creatorId,
        position: item.position,
        shownAt: imp.at,
        modelVersion: imp.modelVersion,
        arm: imp.arm,
        label: outcome.label,
        gain: outcome.gain,
        actions: done,
        ipw: inversePropensityWeight(item.position),
      });
      if (outcome.label === 'engaged') {
        page.engagedItems++;
        if (item.position < ONLINE_K) page.engagedAtK = 1;
      }
      page.likes += outcome.liked ? 1 : 0;
      page.shares += outcome.shared ? 1 : 0;
      page.skips += outcome.rejected ? 1 : 0;
    }
    pages.push(page);
  }
  return { rows, pages };
}

export interface JoinRunOptions {
  windowMs: number;
  nowMs: number;
  batchSize: number;
  maxBatches: number;
}

export interface JoinRunResult {
  impressions: number;
  rows: number;
  engaged: number;
  /** True when every impression whose window has closed is joined. */
  caughtUp: boolean;
}

/**
 * Joins the impressions after the stored checkpoint whose window closed before `nowMs`, a batch at a time,
 * moving the checkpoint after each batch. Idempotent: rows and pages are replaced by id, so a retry of a batch
 * whose checkpoint was not saved rewrites the same documents.
 */
export async function runFeedbackJoin(db: Db, options: JoinRunOptions): Promise<JoinRunResult> {
  const result: JoinRunResult = { impressions: 0, rows: 0, engaged: 0, caughtUp: false };
  const closedBefore = new Date(options.nowMs - options.windowMs);
  const state = learningStateCollection(db);
  for (let batch = 0; batch < options.maxBatches; batch++) {
    const checkpoint = await state.findOne({ _id: 'feedback-join' });
    const after = checkpoint
      ? { $or: [{ at: { $gt: checkpoint.at } }, { at: checkpoint.at, _id: { $gt: checkpoint.impressionId } }] }
      : {};
    const impressions = await impressionsCollection(db)
      .find({ $and: [after, { at: { $lt: closedBefore } }] })
      .sort({ at: 1, _id: 1 })
      .limit(options.batchSize)
      .toArray();
    const last = impressions[impressions.length - 1];
    if (!last) return { ...result, caughtUp: true };
    const joined = joinFeedback(impressions, await engagementsFor(db, impressions, options.windowMs), options.windowMs);
    await replaceAll(db, joined);
    await state.replaceOne({ _id: 'feedback-join' }, { at: last.at, impressionId: last._id }, { upsert: true });
    result.impressions += impressions.length;
    result.rows += joined.rows.length;
    result.engaged += joined.rows.filter((r) => r.label === 'engaged').length;
    if (impressions.length < options.batchSize) return { ...result, caughtUp: true };
  }
  return result;
}

async function engagementsFor(db: Db, impressions: readonly ImpressionDoc[], windowMs: number): Promise<Engagement[]> {
  const first = impressions[0]?.at.getTime() ?? 0;
  const last = impressions[impressions.length - 1]?.at.getTime() ?? 0;
  const users = [...new Set(impressions.map((i) => i.userId))];
  const docs = await eventsCollection(db)
    .find(
      { userId: { $in: users }, occurredAt: { $gte: new Date(first), $lt: new Date(last + windowMs) } },
      { projection: { userId: 1, contentId: 1, type: 1, occurredAt: 1 } },
    )
    .toArray();
  return docs.flatMap((d) =>
    d.contentId ? [{ userId: d.userId, contentId: d.contentId, type: d.type, atMs: d.occurredAt.getTime() }] : [],
  );
}

async function replaceAll(db: Db, { rows, pages }: JoinedBatch): Promise<void> {
  const replace = <T extends { _id: string }>(doc: T): AnyBulkWriteOperation<T> => ({
    replaceOne: { filter: { _id: doc._id } as never, replacement: doc, upsert: true },
  });
  if (rows.length > 0) await feedbackRowsCollection(db).bulkWrite(rows.map(replace), { ordered: false });
  if (pages.length > 0) await feedbackPagesCollection(db).bulkWrite(pages.map(replace), { ordered: false });
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The largest time in an ascending list that is <= t. */
function latestAtOrBefore(times: readonly number[], t: number): number | undefined {
  let found: number | undefined;
  for (const time of times) {
    if (time > t) break;
    found = time;
  }
  return found;
}
