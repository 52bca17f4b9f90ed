import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { PublishedCreatorStats, RestoredCreatorStats } from '../../activities/creator.js';
import {
  applyMetricDelta,
  dailySnapshot,
  newCreatorStats,
  rollDay,
  utcDay,
  type CreatorSnapshot,
  type CreatorStats,
} from '../../src/domain/creator-score.js';
import { RecentIds } from '../../src/domain/recent-ids.js';
import { dropRepeated } from '../entity/inbox.js';
import { CreatorScore, CreatorTier, LastEventAt } from '../search-attributes.js';
import type { CreatorStatsInput, CreatorStatsView, MetricPart } from './messages.js';

type Carried = NonNullable<CreatorStatsInput['carried']>;

/** One creator's totals and the rules that change them; the workflow decides when, this class decides how. */
export class CreatorStatsState {
  stats: CreatorStats;
  /** Grows with every change; the read model keeps the highest, so a late retried write never wins. */
  revision: number;
  runParts = 0;
  duplicatesDropped = 0;
  private readonly recent: RecentIds;
  private shown = { tier: '', score: -1, lastEventAtMs: -1 };

  constructor(
    readonly creatorId: string,
    nowMs: number,
    carried?: Carried,
  ) {
    this.stats = carried?.stats ?? newCreatorStats(nowMs);
    this.revision = carried?.revision ?? 0;
    this.recent = new RecentIds(carried?.recentPartIds);
  }

  /** A fresh run starts from the read model, and from the part ids the last completed run had applied. */
  restore(stored: RestoredCreatorStats | null): void {
    if (!stored) return;
    this.stats = stored.stats;
    this.revision = stored.revision;
    for (const partId of stored.completedRunPartIds ?? []) this.recent.remember(partId);
  }

  /** Applies the parts not applied before; true when the totals changed. */
  apply(parts: readonly MetricPart[], nowMs: number): boolean {
    const { fresh, dropped } = dropRepeated(parts, (part) => part.id, this.recent);
    this.duplicatesDropped += dropped;
    for (const part of fresh) {
      this.stats = applyMetricDelta(this.stats, part.delta, nowMs);
      this.revision++;
      this.runParts++;
    }
    return fresh.length > 0;
  }

  /** The snapshot of the stored day when a new UTC day began (the counters then start over), else null. */
  closeFinishedDay(nowMs: number): CreatorSnapshot | null {
    const today = utcDay(nowMs);
    if (this.stats.today.day >= today) return null;
    const snapshot = dailySnapshot(this.stats, this.stats.today.day);
    this.stats = rollDay(this.stats, today);
    this.revision++;
    return snapshot;
  }

  published(): PublishedCreatorStats {
    return { creatorId: this.creatorId, stats: this.stats, revision: this.revision };
  }

  /** The last write of a completing run also names the parts it applied, so its successor drops them if redelivered. */
  completed(): PublishedCreatorStats {
    return { ...this.published(), completedRunPartIds: this.recent.toJSON() };
  }

  /** Search attributes whose value changed since the last call (each upsert is a history event). */
  searchAttributeChanges(): SearchAttributeUpdatePair[] {
    const { tier, score, lastEventAtMs } = this.stats;
    const last = lastEventAtMs ?? -1;
    if (tier === this.shown.tier && score === this.shown.score && last === this.shown.lastEventAtMs) return [];
    this.shown = { tier, score, lastEventAtMs: last };
    return [
      { key: CreatorTier, value: tier },
      { key: CreatorScore, value: score },
      ...(lastEventAtMs !== null ? [{ key: LastEventAt, value: new Date(lastEventAtMs) }] : []),
    ];
  }

  carry(pendingParts: MetricPart[]): Carried {
    return { stats: this.stats, revision: this.revision, recentPartIds: this.recent.toJSON(), pendingParts };
  }

  view(pendingParts: number): CreatorStatsView {
    const { creatorId, stats, revision, runParts, duplicatesDropped } = this;
    return { creatorId, stats, revision, runParts, duplicatesDropped, pendingParts };
  }
}
