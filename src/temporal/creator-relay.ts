import { sumCreatorDeltas } from '../domain/creator-events.js';
import type { EventDoc } from '../store/events.js';
import type { CreatorMetricsBatch } from '../../workflows/creator-stats/messages.js';

/**
 * The creator half of a relay round: one batch per creator, one part per outbox batch (`batch:<batchId>`) carrying
 * the summed delta of that batch's events for the creator. Parts are named after outbox batches, not the round, since
 * a round re-run after a crash re-reads the same batches but not necessarily the same set of them; the workflow
 * drops a part id it already applied. Per-batch parts also keep the signal small: at most one part per outbox entry
 * of the round (≤ 50), however many events they hold, instead of thousands of eventIds.
 */
export function creatorMetricBatches(events: readonly EventDoc[]): Map<string, CreatorMetricsBatch> {
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
