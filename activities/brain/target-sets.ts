import type { PlannedStep } from '../../src/domain/brain-command.js';
import { stepRecordId } from '../../src/domain/brain-command.js';
import { firstAttemptValue } from '../../src/store/brain-step-memos.js';
import { creatorStatsCollection } from '../../src/store/creator-stats.js';
import { relationshipsCollection } from '../../src/store/relationships.js';
import { topCreatorsOfTopic } from '../../src/store/topic-creators.js';
import { refusal, type StepContext } from './context.js';

/**
 * The looked-up sets a collective step acts on ("the top 3 chess creators", "the cooking creators I follow"). The
 * set is resolved once, before the step runs, so the user confirms the very list the step then acts on; later
 * attempts read the first attempt's list, since rankings move as content arrives.
 */

export const DEFAULT_TOP = 3;
/** A spoken "top 50" is capped: a set the user confirms by ear should stay short enough to review. */
export const MAX_SET = 10;
/** How many of a topic's creators are ranked by score: the ones with the most content on it. */
const CANDIDATES = 200;

/** Creators with content on `topic`, most content on it first: their position is the tie-break after score. */
async function creatorsOfTopic(ctx: StepContext, topic: string): Promise<Array<{ id: string; rank: number }>> {
  return (await topCreatorsOfTopic(ctx.db, topic, CANDIDATES)).map((id, rank) => ({ id, rank }));
}

/** Users who blocked the caller or whom the caller blocked: never part of a set the caller acts on. */
async function blockedEitherWay(ctx: StepContext, ids: string[]): Promise<Set<string>> {
  const me = ctx.caller.userId;
  const edges = await relationshipsCollection(ctx.db)
    .find({
      kind: 'block',
      $or: [
        { from: me, to: { $in: ids } },
        { to: me, from: { $in: ids } },
      ],
    })
    .toArray();
  return new Set(edges.map((e) => (e.from === me ? e.to : e.from)));
}

/** Top creators of a topic by creator score; creators without stats yet score 0; ties by content on the topic. */
async function topByScore(ctx: StepContext, topic: string, count: number): Promise<string[]> {
  const candidates = await creatorsOfTopic(ctx, topic);
  const ids = candidates.map((c) => c.id);
  const stats = await creatorStatsCollection(ctx.db)
    .find({ _id: { $in: ids } }, { projection: { 'stats.score': 1 } })
    .toArray();
  const score = new Map(stats.map((s) => [s._id, s.stats.score]));
  const excluded = await blockedEitherWay(ctx, ids);
  return candidates
    .filter((c) => c.id !== ctx.caller.userId && !excluded.has(c.id))
    .sort((a, b) => (score.get(b.id) ?? 0) - (score.get(a.id) ?? 0) || a.rank - b.rank)
    .slice(0, count)
    .map((c) => c.id);
}

/** Creators the caller follows who have content on the topic, by id. */
async function followedOfTopic(ctx: StepContext, topic: string, count: number): Promise<string[]> {
  const candidates = new Set((await creatorsOfTopic(ctx, topic)).map((c) => c.id));
  const follows = await relationshipsCollection(ctx.db)
    .find({ kind: 'follow', from: ctx.caller.userId })
    .sort({ to: 1 })
    .toArray();
  return follows
    .map((f) => f.to)
    .filter((id) => candidates.has(id))
    .slice(0, count);
}

/** The set a collective step acts on, as its first attempt resolved it; a set with nobody in it is a 404. */
export async function resolveTargetSet(ctx: StepContext, step: PlannedStep): Promise<string[]> {
  const { topic, targetSet = 'top_creators' } = step.params;
  if (!topic) throw refusal('unprocessable', 422, 'A set of creators needs a topic');
  const memoId = `${stepRecordId(ctx.commandId, step.index)}:targets`;
  const targets = await firstAttemptValue(ctx.db, memoId, () => {
    const wanted = Math.min(step.params.count ?? (targetSet === 'top_creators' ? DEFAULT_TOP : MAX_SET), MAX_SET);
    return targetSet === 'top_creators' ? topByScore(ctx, topic, wanted) : followedOfTopic(ctx, topic, wanted);
  });
  if (targets.length === 0) {
    const who = targetSet === 'top_creators' ? 'creators' : 'creators you follow';
    throw refusal('not_found', 404, `No ${who} of "${topic}" yet`);
  }
  return targets;
}
