import { defineQuery } from '@temporalio/workflow';

/** Query and input types shared by the workflow, the schedule, the operator endpoint and the tests. */
export interface BatchScoringSettings {
  /** Where the scoring activities run (config.TEMPORAL_RANKING_TASK_QUEUE). */
  rankingTaskQueue: string;
  activeDays: number;
  pageSize: number;
  chunkSize: number;
  /** A worker that stops heartbeating for this long is presumed dead; the page resumes on another. */
  heartbeatTimeoutMs: number;
}

export interface BatchScoringInput {
  settings: BatchScoringSettings;
  /** Carried across continue-as-new, so a long run keeps one scoring_runs record and its totals. */
  carried?: BatchScoringProgress;
}

export interface BatchScoringProgress {
  runId: string;
  startedAtMs: number;
  /** The run's cursor: every active user up to and including this id is scored. */
  afterUserId: string | null;
  pages: number;
  users: number;
  itemsScored: number;
  failures: number;
  fallbackUsers: number;
  modelVersion: string | null;
  status: 'scoring' | 'completed';
}

export const getScoringProgressQuery = defineQuery<BatchScoringProgress>('getScoringProgress');
