import { randomUUID } from 'node:crypto';
import type { PlannedStep, StepOutcome } from '../../src/domain/brain-command.js';
import { stepRecordId } from '../../src/domain/brain-command.js';
import { findContent } from '../../src/store/content.js';
import { ingestDeadlineMs, storeEventBatch } from '../../src/store/event-batches.js';
import { eventKey } from '../../src/store/events.js';
import { recordSeen } from '../../src/cache/user-signals.js';
import { refusal, spendCallerBudget, type StepContext } from './context.js';

/** The eventId of a step's engagement: the same on every attempt, so the events collection keeps it once. */
export const brainEventId = (commandId: string, stepIndex: number): string =>
  `brain:${stepRecordId(commandId, stepIndex)}`;

/**
 * "Like this", "share this": what the app does for a like or a share, an engagement event for the item on screen,
 * ingested like POST /api/v1/events (one request of the caller's budget) so the relay hands it to the caller's
 * interest workflow and the creator's stats once. There is no un-like, so nothing to take back. The step's target
 * is the item's creator, so "like this and follow her" follows them.
 */
const engagementStep =
  (type: 'like' | 'share', past: string) =>
  async (ctx: StepContext, step: PlannedStep): Promise<StepOutcome> => {
    const contentId = step.params.contentId;
    if (!contentId) throw refusal('unprocessable', 422, 'Which item? Send the one on screen as context.contentId');
    const content = await findContent(ctx.db, contentId);
    if (!content) throw refusal('not_found', 404, `No content ${contentId}`);
    await spendCallerBudget(ctx, 1);
    const now = new Date();
    const eventId = brainEventId(ctx.commandId, step.index);
    const event = {
      _id: eventKey(ctx.caller.userId, eventId),
      eventId,
      userId: ctx.caller.userId,
      type,
      contentId,
      creatorId: content.creatorId,
      occurredAt: now,
      receivedAt: now,
    };
    // A fresh batch per attempt: a retry's duplicate event stays in its first batch (see storeEventBatch).
    await storeEventBatch(ctx.db, randomUUID(), [event], now, { deadlineMs: ingestDeadlineMs(ctx.config.OUTBOX_STALE_MS) }); // prettier-ignore
    await recordSeen(ctx.redis, [event]);
    return { summary: `${past} ${contentId}`, targets: [content.creatorId], compensation: null };
  };

export const likeStep = engagementStep('like', 'liked');
export const shareStep = engagementStep('share', 'shared');
