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

/** Where the previous page of runs ended (newest first; the run id breaks ties of startedAt). */
export interface ScoringRunPosition {
  at: number;
  id: string;
}

/** A cursor's content is client input: this checks it is a position a runs page returned. */
export function isScoringRunPosition(value: unknown): value is ScoringRunPosition {
  const position = value as Partial<ScoringRunPosition> | null;
  return typeof position === 'object' && Number.isSafeInteger(position?.at) && typeof position?.id === 'string';
}

export const scoringRunPosition = (run: ScoringRunDoc): ScoringRunPosition => ({
  at: run.startedAt.getTime(),
  id: run._id,
});

/** Runs newest first, after `after` (the last run of the previous page). */
export function latestScoringRuns(
  db: Db,
  limit: number,
  after: ScoringRunPosition | null = null,
): Promise<ScoringRunDoc[]> {
  const older = after
    ? { $or: [{ startedAt: { $lt: new Date(after.at) } }, { startedAt: new Date(after.at), _id: { $lt: after.id } }] }
    : {};
  return scoringRunsCollection(db).find(older).sort({ startedAt: -1, _id: -1 }).limit(limit).toArray();
}
