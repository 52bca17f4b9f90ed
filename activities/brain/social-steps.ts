import type { PlannedStep, StepOutcome } from '../../src/domain/brain-command.js';
import { stepRecordId } from '../../src/domain/brain-command.js';
import { firstAttemptValue } from '../../src/store/brain-step-memos.js';
import { findContent } from '../../src/store/content.js';
import { findRelationship, type RelationshipKind } from '../../src/store/relationships.js';
import { saveAppPreferences, findAppPreferences } from '../../src/store/preferences.js';
import { signalCreatorFollowed } from '../../src/workflow-clients/signals.js';
import { block, blockEdges, follow, unfollow } from '../../src/workflow-clients/social-graph.js';
import { recordTip } from '../../src/workflow-clients/tips.js';
import { tipRefusal } from '../../src/domain/social-graph.js';
import { refusal, spendCallerBudget, userIdOf, type StepContext } from './context.js';
import { resolveTargetSet } from './target-sets.js';

/** The app document Brain Mode writes preferences into (per-app preferences of the identity store). */
export const BRAIN_PREFERENCES_APP = 'powerstream';
/** Largest tip a voice command may send, in minor units: a misheard "500" should not empty a wallet. */
export const MAX_TIP_MINOR = 100_00;
const DEFAULT_CURRENCY = 'USD';
/** The item's creator, for "follow whoever made this" when the client sent the item but not its creator. */
export async function creatorOfContent(ctx: StepContext, contentId: string): Promise<string> {
  const content = await findContent(ctx.db, contentId);
  if (!content) throw refusal('not_found', 404, `No content ${contentId}`);
  return content.creatorId;
}

/**
 * Whom the step acts on: the users of the previous step ("tip each"), else the handles it names, else the creator
 * on screen (the client's context), else the looked-up set of the topic it names (top or followed creators).
 */
async function targetsOf(ctx: StepContext, step: PlannedStep, previous: string[]): Promise<string[]> {
  if (step.targetsPrevious && previous.length > 0) return previous;
  const handles = step.params.creators ?? (step.params.creator ? [step.params.creator] : []);
  const { topic, creatorId, contentId } = step.params;
  if (handles.length === 0 && creatorId) return [creatorId];
  if (handles.length === 0 && contentId) return [await creatorOfContent(ctx, contentId)];
  // The set the user confirmed, if the workflow resolved it before asking (the same memo, so the same list).
  if (handles.length === 0 && topic) return resolveTargetSet(ctx, step);
  if (handles.length === 0) {
    throw refusal('unprocessable', 422, 'Which creator? Name them with @handle or send the one on screen as context');
  }
  const ids: string[] = [];
  for (const handle of handles) ids.push(await userIdOf(ctx.db, handle));
  return ids;
}

/** Of `targets`, those the caller already had a `kind` edge to before this step first ran. */
async function hadBefore(ctx: StepContext, step: PlannedStep, kind: RelationshipKind, targets: string[]) {
  const memoId = `${stepRecordId(ctx.commandId, step.index)}:${kind}`;
  return firstAttemptValue(ctx.db, memoId, async () => {
    const had: string[] = [];
    for (const target of targets) if (await findRelationship(ctx.db, kind, ctx.caller.userId, target)) had.push(target);
    return had;
  });
}

/**
 * Acts on every target or, when one is refused, takes back what it did to the others before failing: a step over a
 * set is compensated as a whole, and the saga only compensates steps that completed.
 */
async function asAWhole(
  targets: readonly string[],
  act: (target: string) => Promise<unknown>,
  takeBack: (done: string[]) => Promise<void>,
): Promise<void> {
  const done: string[] = [];
  try {
    for (const target of targets) {
      await act(target);
      done.push(target);
    }
  } catch (error) {
    await takeBack(done);
    throw error;
  }
}

export async function followStep(ctx: StepContext, step: PlannedStep, previous: string[]): Promise<StepOutcome> {
  const targets = await targetsOf(ctx, step, previous);
  await spendCallerBudget(ctx, targets.length);
  const already = await hadBefore(ctx, step, 'follow', targets);
  // Only follows this step made are taken back: an older follow was the user's before the command.
  const created = targets.filter((t) => !already.includes(t));
  await asAWhole(
    targets,
    async (target) => {
      const result = await follow(ctx.graph(), ctx.caller.userId, target, new Date());
      if (result.created) {
        await signalCreatorFollowed(ctx.graph().temporal, ctx.caller.userId, target).catch(() => false);
      }
    },
    async (done) => {
      for (const target of done.filter((t) => created.includes(t)))
        await unfollow(ctx.graph(), ctx.caller.userId, target);
    },
  );
  return {
    summary: `following ${targets.join(', ')}`,
    targets,
    compensation: created.length > 0 ? { kind: 'unfollow', targets: created } : null,
  };
}

export async function unfollowStep(ctx: StepContext, step: PlannedStep, previous: string[]): Promise<StepOutcome> {
  const targets = await targetsOf(ctx, step, previous);
  await spendCallerBudget(ctx, targets.length);
  const removed = await hadBefore(ctx, step, 'follow', targets);
  await asAWhole(
    targets,
    (target) => unfollow(ctx.graph(), ctx.caller.userId, target),
    async (done) => {
      for (const target of done.filter((t) => removed.includes(t)))
        await follow(ctx.graph(), ctx.caller.userId, target, new Date());
    },
  );
  return {
    summary: `unfollowed ${targets.join(', ')}`,
    targets,
    compensation: removed.length > 0 ? { kind: 'refollow', targets: removed } : null,
  };
}

export async function blockStep(ctx: StepContext, step: PlannedStep, previous: string[]): Promise<StepOutcome> {
  const targets = await targetsOf(ctx, step, previous);
  await spendCallerBudget(ctx, targets.length);
  const alreadyBlocked = await hadBefore(ctx, step, 'block', targets);
  const followed = await hadBefore(ctx, step, 'follow', targets);
  for (const target of targets) await block(ctx.graph(), ctx.caller.userId, target, new Date());
  const blocked = targets.filter((t) => !alreadyBlocked.includes(t));
  const refollow = blocked.filter((t) => followed.includes(t));
  return {
    summary: `blocked ${targets.join(', ')}`,
    targets,
    compensation: blocked.length > 0 ? { kind: 'unblock', targets: blocked, refollow } : null,
  };
}

/**
 * The follow route's rules for tips too: not oneself, no block between the two. The tip is recorded through the
 * trusted tip path (src/workflow-clients/tips.ts), so it reaches the creator's stats exactly as a payments backend's does.
 */
export async function tipStep(ctx: StepContext, step: PlannedStep, previous: string[]): Promise<StepOutcome> {
  const amount = step.params.amount;
  if (!amount || amount.minor <= 0) throw refusal('unprocessable', 422, 'A tip needs an amount');
  if (amount.minor > MAX_TIP_MINOR) throw refusal('unprocessable', 422, `A tip is at most ${MAX_TIP_MINOR / 100}`);
  const targets = await targetsOf(ctx, step, previous);
  const from = ctx.caller.userId;
  for (const to of targets) {
    const refused = tipRefusal(from, to, await blockEdges(ctx.db, from, to));
    if (refused) throw refused;
  }
  await spendCallerBudget(ctx, targets.length);
  const tipIds: string[] = [];
  for (const to of targets) {
    const _id = stepRecordId(ctx.commandId, step.index, to);
    const currency = amount.currency ?? DEFAULT_CURRENCY;
    await recordTip(ctx.graph(), { tipId: _id, from, to, amountMinor: amount.minor, currency }, new Date());
    tipIds.push(_id);
  }
  return {
    summary: `tipped ${targets.join(', ')} ${amount.value} ${amount.currency ?? DEFAULT_CURRENCY} each`,
    targets,
    compensation: { kind: 'refund_tips', tipIds },
  };
}

export async function preferenceStep(ctx: StepContext, step: PlannedStep): Promise<StepOutcome> {
  const preference = step.params.preference;
  if (!preference) throw refusal('unprocessable', 422, 'Which preference, and to what?');
  await spendCallerBudget(ctx, 1);
  const read = async () => (await findAppPreferences(ctx.db, ctx.caller.userId, BRAIN_PREFERENCES_APP))?.document ?? {};
  const previous = await firstAttemptValue(ctx.db, stepRecordId(ctx.commandId, step.index), async () => {
    const before = (await read())[preference.key];
    return typeof before === 'boolean' || typeof before === 'string' ? before : null;
  });
  const document = await read();
  await saveAppPreferences(ctx.db, ctx.caller.userId, BRAIN_PREFERENCES_APP, {
    ...document,
    [preference.key]: preference.value,
  });
  return {
    summary: `${preference.key} set to ${String(preference.value)}`,
    targets: [],
    compensation: { kind: 'restore_preference', app: BRAIN_PREFERENCES_APP, key: preference.key, previous },
  };
}
