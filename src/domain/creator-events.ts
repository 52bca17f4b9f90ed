import { addCounters, emptyCounters, sanitiseDelta, type MetricCounters, type MetricDelta } from './creator-metrics.js';
import type { EngagementType } from './engagement.js';

/**
 * The one place that says which engagement events move a creator's metrics and by how much. The relay sums these
 * per creator per outbox batch (event-relay.ts), the social-graph route uses the same delta shape for follows.
 *
 * `value` is the tip amount in platform currency units (stored as integer cents, see MetricCounters.tipAmount) and
 * the seconds watched for watch_time. skip, hide and report are about the viewer's taste, not the creator's reach.
 * `follow` here counts producers that report follows as events; clients that use POST /users/:id/follow should not
 * also send a follow event, or the follower is counted twice (the graph route is the source of truth).
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
    case 'tip':
      return { tips: 1, tipAmount: Math.round(amount * 100) };
    case 'follow':
      return { followersGained: 1 };
    case 'watch_time':
      return amount > 0 ? { watchTimeSeconds: amount } : null;
    default:
      return null;
  }
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
