import type { Collection, Db } from 'mongodb';

/** One batch-scoring run, written at its start and completed at its end (by the run's workflow id). */
export interface ScoringRunDoc {
  _id: string;
  status: 'running' | 'completed';
  startedAt: Date;
  finishedAt?: Date;
  users: number;
  itemsScored: number;
  failures: number;
  durationMs?: number;
  modelVersion?: string;
  /** Users whose feed the fallback ranked (model missing or failing during the run). */
  fallbackUsers?: number;
}

export function scoringRunsCollection(db: Db): Collection<ScoringRunDoc> {
  return db.collection<ScoringRunDoc>('scoring_runs');
}

/** Upserts by _id, so a retried start or finish writes the same document again instead of a second run. */
export async function saveScoringRun(db: Db, doc: ScoringRunDoc): Promise<void> {
  await scoringRunsCollection(db).replaceOne({ _id: doc._id }, doc, { upsert: true });
}

export function latestScoringRuns(db: Db, limit: number): Promise<ScoringRunDoc[]> {
  return scoringRunsCollection(db).find().sort({ startedAt: -1 }).limit(limit).toArray();
}
