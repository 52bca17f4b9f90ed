import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import { findByIds } from './bulk.js';
import { DUPLICATE_KEY } from './mongo-errors.js';
import type { CatalogStats } from '../nlp/topics.js';

/**
 * Document frequencies of the catalog's stems, for TF-IDF on write (src/nlp/topics.ts): one document per stem
 * (`_id` is the stem, `df` how many items use it) plus one catalog document holding `docCount`. Its id starts with
 * an underscore, which no stem does (stems start with a letter), so the two kinds never collide. Counts only grow
 * and are approximate under races (see inverseDocumentFrequency's clamp): they weight topics, they are not a ledger.
 */
interface TopicStatDoc {
  _id: string;
  df?: number;
  docCount?: number;
}

const CATALOG_DOC_ID = '_catalog';

function topicStatsCollection(db: Db): Collection<TopicStatDoc> {
  return db.collection<TopicStatDoc>('topic_stats');
}

/** The stats of just the stems one document uses: all extractTopics needs, one lookup by _id each. */
export async function catalogStatsFor(db: Db, stems: readonly string[]): Promise<CatalogStats> {
  const docs = (await findByIds(topicStatsCollection(db), [CATALOG_DOC_ID, ...stems])).values();
  const docFreq: Record<string, number> = {};
  let docCount = 0;
  for (const doc of docs) {
    if (doc._id === CATALOG_DOC_ID) docCount = doc.docCount ?? 0;
    else docFreq[doc._id] = doc.df ?? 0;
  }
  return { docCount, docFreq };
}

/**
 * Counts one more document using `stems`: upserts by _id in one unordered bulk write (cheap on FerretDB). Two
 * publishes racing to create the same stem's document make one upsert fail with a duplicate key; the document
 * exists then, so just the failed operations run again (the others have counted already).
 */
export async function addDocumentToCatalogStats(db: Db, stems: readonly string[]): Promise<void> {
  let ops: AnyBulkWriteOperation<TopicStatDoc>[] = [
    { updateOne: { filter: { _id: CATALOG_DOC_ID }, update: { $inc: { docCount: 1 } }, upsert: true } },
    ...stems.map((stem) => ({ updateOne: { filter: { _id: stem }, update: { $inc: { df: 1 } }, upsert: true } })),
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      await topicStatsCollection(db).bulkWrite(ops, { ordered: false });
      return;
    } catch (error) {
      const lostRaces = duplicateKeyIndexes(error);
      if (lostRaces === null || attempt === MAX_UPSERT_ATTEMPTS) throw error;
      ops = lostRaces.map((index) => ops[index] as AnyBulkWriteOperation<TopicStatDoc>);
    }
  }
}

const MAX_UPSERT_ATTEMPTS = 3;

/** The indexes of a bulk write's operations that failed on a duplicate key, or null if anything else failed. */
function duplicateKeyIndexes(error: unknown): number[] | null {
  if (!(error instanceof MongoBulkWriteError)) return null;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) return null;
  return writeErrors.map((e) => e.index);
}
