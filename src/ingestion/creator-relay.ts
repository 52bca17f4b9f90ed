import type { Db } from 'mongodb';
import { creditedCreator, ONCE_PER_ITEM, sumCreatorDeltas } from '../domain/creator-events.js';
import type { ContentSummary } from '../store/content.js';
import { claimEngagementMarks, engagementMarkKey } from '../store/engagement-marks.js';
import { eventIdOf, type EventDoc } from '../store/events.js';
import type { CreatorMetricsBatch } from '../../workflows/creator-stats/messages.js';

/**
 * The creator half of the relay, per group of events (the relay's groups are its outbox entries): one batch per
 * creator, one part per outbox batch (`batch:<batchId>`) carrying the summed delta of that batch's events for the
 * creator. Parts are named after outbox batches, not the relay's deliveries, since entries delivered again after a
 * crash travel with other entries than the first time; the workflow drops a part id it already applied. Per-batch
 * parts also keep the signal small: at most one part per outbox entry, however many events they hold, instead of
 * thousands of eventIds.
 *
 * Which events credit whom is domain/creator-events.ts: the catalog names the creator, and likes/shares count once
 * per user and item (claimed in one call for all the groups: the first event of a user and item owns the mark).
 */
export async function creatorMetricBatches(
  db: Db,
  groups: readonly (readonly EventDoc[])[],
  catalog: ReadonlyMap<string, ContentSummary>,
): Promise<Map<string, CreatorMetricsBatch>[]> {
  const credited = groups.map((events) =>
    events.flatMap((e) => {
      const creatorId = creditedCreator(e, catalog);
      return creatorId ? [{ ...e, creatorId }] : [];
    }),
  );
  const once = credited.flat().filter((e) => ONCE_PER_ITEM.has(e.type));
  const owners = await claimEngagementMarks(
    db,
    once.map((e) => ({ key: engagementMarkKey(e.type, e.userId, e.contentId as string), eventId: markId(e) })),
  );
  return credited.map((group) =>
    partsPerCreator(group.filter((e) => !ONCE_PER_ITEM.has(e.type) || owners.has(markId(e)))),
  );
}

const markId = (e: EventDoc) => `${e.userId}/${eventIdOf(e)}`;

/** One part per outbox batch per creator; events must already carry the credited creatorId. */
export function partsPerCreator(events: readonly EventDoc[]): Map<string, CreatorMetricsBatch> {
  const byBatch = new Map<string, EventDoc[]>();
  for (const e of events) {
    if (!e.creatorId) continue;
    const list = byBatch.get(e.batchId);
    if (list) list.push(e);
    else byBatch.set(e.batchId, [e]);
  }
  const out = new Map<string, CreatorMetricsBatch>();
  for (const [batchId, docs] of byBatch) {
    for (const [creatorId, delta] of sumCreatorDeltas(docs)) {
      const part = { id: `batch:${batchId}`, delta };
      const batch = out.get(creatorId);
      if (batch) batch.parts.push(part);
      else out.set(creatorId, { parts: [part] });
    }
  }
  return out;
}
