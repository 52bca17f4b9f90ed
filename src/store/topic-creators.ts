import type { Db } from 'mongodb';
import { contentCollection } from './content.js';

/**
 * "The top gaming creators": creators ranked by how much of their content is about the topic (most first, then by
 * id for a stable order). One $match/$group/$sort/$limit pipeline, which FerretDB serves.
 */
export async function topCreatorsOfTopic(db: Db, topic: string, limit: number): Promise<string[]> {
  const rows = await contentCollection(db)
    .aggregate<{ _id: string; items: number }>([
      { $match: { topics: topic } },
      { $group: { _id: '$creatorId', items: { $sum: 1 } } },
      { $sort: { items: -1, _id: 1 } },
      { $limit: limit },
    ])
    .toArray();
  return rows.map((row) => row._id);
}
