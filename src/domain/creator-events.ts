import { addCounters, emptyCounters, sanitiseDelta, type MetricCounters, type MetricDelta } from './creator-metrics.js';
import type { EngagementType } from './engagement.js';

/**
 * The one place that says which client engagement events move a creator's metrics and by how much (docs/events.md).
 * The relay sums these per creator per outbox batch (creator-relay.ts).
 *
 * Client events are interest signals first; they move creator stats only where a client can be believed:
 * - `follow` and `tip` never do. Followers move only through the social-graph routes (POST /users/:id/follow), tips
 *   only through the trusted tip path (POST /creators/:id/tips, service role, and Brain Mode's tip step), both in
 *   src/workflow-clients/social-graph.ts and src/workflow-clients/tips.ts.
 * - The creator is the catalog's creator of `contentId` (creditedCreator); an event without a known item credits no
 *   one, and engagement with one's own content credits no one.
 * - like and share count once per (user, item, type) (ONCE_PER_ITEM, enforced by the relay's engagement marks).
 * - view and comment count every event; watch_time adds its seconds, at most MAX_WATCH_SECONDS_PER_EVENT each.
 * skip, hide and report are about the viewer's taste, not the creator's reach.
 */
export function creatorMetricDelta(type: EngagementType, value?: number): MetricDelta | null {
  const amount = value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
  switch (type) {
    case 'view':
      return { views: 1 };
    case 'like':
      return { likes: 1 };
    case 'share':
      return { shares: 1 };
    case 'comment':
      return { comments: 1 };
    case 'watch_time':
      return amount > 0 ? { watchTimeSeconds: Math.min(amount, MAX_WATCH_SECONDS_PER_EVENT) } : null;
    default:
      return null;
  }
}

/** One watch_time event adds at most this much watch time to the creator (a tab left open overnight is not 8 h). */
export const MAX_WATCH_SECONDS_PER_EVENT = 4 * 3600;

/** Types whose repeats by one user on one item count once toward the creator (a like toggled 100 times is 1 like). */
export const ONCE_PER_ITEM: ReadonlySet<EngagementType> = new Set<EngagementType>(['like', 'share']);

/** The creator an event credits: the catalog's creator of its item, never the client's claim, and never oneself. */
export function creditedCreator(
  event: { userId: string; contentId?: string },
  catalog: ReadonlyMap<string, { creatorId: string }>,
): string | null {
  const creatorId = event.contentId ? catalog.get(event.contentId)?.creatorId : undefined;
  return creatorId && creatorId !== event.userId ? creatorId : null;
}

export interface CreatorMetricEvent {
  creatorId?: string;
  type: EngagementType;
  value?: number;
}

/** Summed deltas per creator for a set of events; events without a creator or a metric are left out. */
export function sumCreatorDeltas(events: Iterable<CreatorMetricEvent>): Map<string, MetricCounters> {
  const sums = new Map<string, MetricCounters>();
  for (const event of events) {
    if (!event.creatorId) continue;
    const delta = creatorMetricDelta(event.type, event.value);
    if (!delta) continue;
    sums.set(event.creatorId, addCounters(sums.get(event.creatorId) ?? emptyCounters(), sanitiseDelta(delta)));
  }
  return sums;
}
