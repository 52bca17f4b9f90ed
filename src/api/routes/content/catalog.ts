import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Db } from 'mongodb';
import { cacheCatalogItems, cachedItemOf } from '../../../cache/catalog.js';
import { documentStems, extractTopics, normalizeTopics } from '../../../nlp/topics.js';
import { findContent, insertContent, type ContentDoc } from '../../../store/content.js';
import { addDocumentToCatalogStats, catalogStatsFor } from '../../../store/topic-stats.js';
import type { ContentCreate, ContentItem } from '../../schemas/content.js';

/**
 * Adds an item to the catalog with its topics. The order is the extractor's (src/nlp/topics.ts): read the document
 * frequencies of this item's stems, extract against the catalog as it was before the item, store the item, and only
 * then count it in the stats — so a repeat that stores nothing counts nothing.
 *
 * `requestKey` (the caller's Idempotency-Key, scoped to them) names the item deterministically: two concurrent
 * first requests with one key meet on the _id, and the loser answers with the winner's item instead of a second one.
 */
export async function addToCatalog(
  db: Db,
  redis: Redis,
  creatorId: string,
  input: ContentCreate,
  now: Date,
  requestKey?: string,
): Promise<ContentDoc> {
  const doc = { title: input.title, description: input.description, tags: input.tags };
  const stems = documentStems(doc);
  const topics = extractTopics(doc, await catalogStatsFor(db, stems)).map((t) => t.topic);
  const item: ContentDoc = {
    _id: contentId(requestKey === undefined ? undefined : `${creatorId}\n${requestKey}`),
    creatorId,
    title: input.title,
    description: input.description,
    tags: normalizeTopics(input.tags),
    type: input.type,
    topics,
    createdAt: now,
  };
  let stored = item;
  if (await insertContent(db, item)) await addDocumentToCatalogStats(db, stems);
  else {
    const existing = await findContent(db, item._id);
    if (!existing) throw new Error(`content ${item._id} reported as existing but not found`);
    stored = existing;
  }
  // Also on a repeat: a request that failed after the insert is completed by its retry.
  await cacheCatalogItems(redis, [cachedItemOf(stored)]);
  return stored;
}

/** One id form, `c-` and 32 hex digits, with or without an Idempotency-Key (then derived from it). */
function contentId(seed: string | undefined): string {
  const hex = seed === undefined ? randomUUID().replace(/-/g, '') : createHash('sha256').update(seed).digest('hex');
  return `c-${hex.slice(0, 32)}`;
}

export function contentView(doc: ContentDoc): ContentItem {
  return {
    id: doc._id,
    creatorId: doc.creatorId,
    title: doc.title,
    description: doc.description,
    tags: doc.tags,
    type: doc.type,
    topics: doc.topics,
    createdAt: doc.createdAt.toISOString(),
  };
}
