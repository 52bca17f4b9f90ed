import type { Collection, Db } from 'mongodb';
import { DUPLICATE_KEY } from './mongo-errors.js';

/**
 * What a Brain Mode step saw before it acted ("alice was already followed", "autoplay was on"), written once per
 * step by its first attempt. A retry after the action but before the activity returned would otherwise see its own
 * write as the old state and compute a compensation that takes back nothing.
 */
interface StepMemoDoc {
  _id: string;
  /** JSON, so any shape is stored as-is whatever its keys. */
  json: string;
  createdAt: Date;
}

function memosCollection(db: Db): Collection<StepMemoDoc> {
  return db.collection<StepMemoDoc>('brain_step_memos');
}

/** The value the first attempt of step `id` computed; `observe` runs only when there is none yet. */
export async function firstAttemptValue<T>(db: Db, id: string, observe: () => Promise<T>): Promise<T> {
  const stored = await memosCollection(db).findOne({ _id: id });
  if (stored) return JSON.parse(stored.json) as T;
  const value = await observe();
  try {
    await memosCollection(db).insertOne({ _id: id, json: JSON.stringify(value), createdAt: new Date() });
    return value;
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    const raced = await memosCollection(db).findOne({ _id: id });
    return raced ? (JSON.parse(raced.json) as T) : value;
  }
}
