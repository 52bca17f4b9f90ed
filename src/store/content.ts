import type { Collection, Db } from 'mongodb';
import type { ContentType } from '../domain/engagement.js';
import { findByIds } from './bulk.js';
import { DUPLICATE_KEY } from './mongo-errors.js';

/** A catalog item. `topics` are extracted on write (src/nlp/topics.ts) and merged with the tags. */
export interface ContentDoc {
  _id: string;
  creatorId: string;
  title: string;
  description: string;
  tags: string[];
  type: ContentType;
  topics: string[];
  createdAt: Date;
}

export type ContentSummary = Pick<ContentDoc, '_id' | 'creatorId' | 'type' | 'topics'>;

export function contentCollection(db: Db): Collection<ContentDoc> {
  return db.collection<ContentDoc>('content');
}

export async function ensureContentIndexes(db: Db): Promise<void> {
  await contentCollection(db).createIndex({ creatorId: 1, createdAt: -1 });
  await contentCollection(db).createIndex({ topics: 1, createdAt: -1 });
}

/** What the relay joins onto events: topics and type of each content item, by id. */
export async function contentSummaries(db: Db, ids: string[]): Promise<Map<string, ContentSummary>> {
  return findByIds(contentCollection(db), ids, { projection: { creatorId: 1, type: 1, topics: 1 } });
}

/** Inserts a new item; false when the _id exists (a repeat of an idempotent create), nothing written then. */
export async function insertContent(db: Db, doc: ContentDoc): Promise<boolean> {
  try {
    await contentCollection(db).insertOne(doc);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
    throw error;
  }
}

export function findContent(db: Db, id: string): Promise<ContentDoc | null> {
  return contentCollection(db).findOne({ _id: id });
}

/** Where the previous page of a creator's items ended (newest first; _id breaks createdAt ties). */
export interface ContentPosition {
  createdAt: Date;
  id: string;
}

/** One page of a creator's items, newest first, on the { creatorId, createdAt } index. */
export function creatorContentPage(
  db: Db,
  creatorId: string,
  after: ContentPosition | undefined,
  limit: number,
): Promise<ContentDoc[]> {
  const position = after
    ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }] }
    : {};
  return contentCollection(db)
    .find({ creatorId, ...position })
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit)
    .toArray();
}

export type RecentContent = Pick<ContentDoc, '_id' | 'creatorId' | 'type' | 'topics' | 'createdAt'>;

/**
 * Every item created since `since`, newest first, with only what ranking needs: batch scoring reads the recent
 * catalog once per run and cuts each user's sources from it, instead of querying per user (on FerretDB 1.x every
 * filtered query is a collection scan).
 */
export function recentContentSummaries(db: Db, since: Date): AsyncIterable<RecentContent> {
  return contentCollection(db)
    .find({ createdAt: { $gte: since } }, { projection: { creatorId: 1, type: 1, topics: 1, createdAt: 1 } })
    .sort({ createdAt: -1 });
}
