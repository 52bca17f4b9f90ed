import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CreatorStats, MetricDelta } from '../../src/domain/creator-score.js';

/**
 * One summed delta with the id that makes it applied once. The relay sends one signal per creator per round with
 * one part per outbox batch (id `batch:<batchId>`): a relay that dies between signalling and closing its entries
 * re-reads the same batches next round, possibly together with newer ones, so a whole-round id would not match but
 * every batch id does. The social-graph route sends `follow:`/`unfollow:` parts named after the relationship.
 */
export interface MetricPart {
  id: string;
  delta: MetricDelta;
}

export interface CreatorMetricsBatch {
  parts: MetricPart[];
}

export interface CreatorStatsSettings {
  /** Quiet time after the last delta before the workflow completes; the next delta recreates it from the read model. */
  idleMs: number;
  /** Deltas are applied at once but the read model and leaderboards are written at most this often. */
  persistDebounceMs: number;
  /** Continue-as-new after this many applied parts, well below Temporal's history limits. */
  partsPerRun: number;
}

export interface CreatorStatsInput {
  creatorId: string;
  settings: CreatorStatsSettings;
  /** Carried across continue-as-new; absent on a fresh start, which restores from the read model instead. */
  carried?: {
    stats: CreatorStats;
    revision: number;
    recentPartIds: string[];
    /** Parts signalled during the run's last publish, applied by the next run (absent: none, or an older run). */
    pendingParts?: MetricPart[];
  };
}

export interface CreatorStatsView {
  creatorId: string;
  stats: CreatorStats;
  /** Grows with every change; the read model keeps the highest, so a late retried write never wins. */
  revision: number;
  runParts: number;
  duplicatesDropped: number;
  /** Parts received and not applied yet: a fresh run holds them while it restores the read model. */
  pendingParts: number;
}

export const creatorMetricsSignal = defineSignal<[CreatorMetricsBatch]>('creatorMetrics');
export const getStatsQuery = defineQuery<CreatorStatsView>('getStats');
