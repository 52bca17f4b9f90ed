import type { Collection, Db } from 'mongodb';
import type { ContentType } from '../domain/engagement.js';

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
  if (ids.length === 0) return new Map();
  const docs = await contentCollection(db)
    .find({ _id: { $in: ids } }, { projection: { creatorId: 1, type: 1, topics: 1 } })
    .toArray();
  return new Map(docs.map((d) => [d._id, d]));
}
