import type { Collection, Db } from 'mongodb';
import { DUPLICATE_KEY } from './mongo-errors.js';

/** The social graph: `from` follows or blocks `to`. */
export type RelationshipKind = 'follow' | 'block';

export interface RelationshipDoc {
  /** `<kind>:<from>:<to>`: one edge per pair and kind, addressable by _id (cheap deletes on FerretDB). */
  _id: string;
  from: string;
  to: string;
  kind: RelationshipKind;
  createdAt: Date;
}

export function relationshipsCollection(db: Db): Collection<RelationshipDoc> {
  return db.collection<RelationshipDoc>('relationships');
}

export async function ensureRelationshipIndexes(db: Db): Promise<void> {
  const c = relationshipsCollection(db);
  await c.createIndex({ from: 1, to: 1, kind: 1 }, { unique: true });
  // The two paged lists: a user's followers (by `to`) and whom a user follows (by `from`).
  await c.createIndex({ to: 1, kind: 1, from: 1 });
  await c.createIndex({ from: 1, kind: 1, to: 1 });
}

const edgeId = (kind: RelationshipKind, from: string, to: string) => `${kind}:${from}:${to}`;

export function findRelationship(
  db: Db,
  kind: RelationshipKind,
  from: string,
  to: string,
): Promise<RelationshipDoc | null> {
  return relationshipsCollection(db).findOne({ _id: edgeId(kind, from, to) });
}

/** Creates the edge unless it exists; either way returns the stored edge and whether this call created it. */
export async function addRelationship(
  db: Db,
  kind: RelationshipKind,
  from: string,
  to: string,
  now: Date,
): Promise<{ edge: RelationshipDoc; created: boolean }> {
  const edge: RelationshipDoc = { _id: edgeId(kind, from, to), from, to, kind, createdAt: now };
  try {
    await relationshipsCollection(db).insertOne(edge);
    return { edge, created: true };
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    const stored = await findRelationship(db, kind, from, to);
    if (!stored) throw error; // removed between the two calls; the client may retry
    return { edge: stored, created: false };
  }
}

/** Deletes the edge; true when this call removed it. */
export async function removeRelationship(db: Db, kind: RelationshipKind, from: string, to: string): Promise<boolean> {
  const result = await relationshipsCollection(db).deleteOne({ _id: edgeId(kind, from, to) });
  return result.deletedCount === 1;
}

/**
 * One page of a user's followers (`side: 'to'`, listing `from`) or followees (`side: 'from'`, listing `to`), ordered
 * by the other user's id: a stable order that a cursor can resume from without counting.
 */
export function relatedUsers(
  db: Db,
  kind: RelationshipKind,
  side: 'to' | 'from',
  userId: string,
  afterUserId: string | undefined,
  limit: number,
): Promise<RelationshipDoc[]> {
  const other = side === 'to' ? 'from' : 'to';
  const filter = { [side]: userId, kind, ...(afterUserId !== undefined ? { [other]: { $gt: afterUserId } } : {}) };
  return relationshipsCollection(db)
    .find(filter)
    .sort({ [other]: 1 })
    .limit(limit)
    .toArray();
}

export type Edge = Pick<RelationshipDoc, 'from' | 'to' | 'kind'>;

/**
 * Every edge, for batch scoring's one read of the graph per run (the caller stops early past its memory cap).
 * Unordered: a whole-collection read needs no index, which FerretDB 1.x would not use anyway.
 */
export function everyRelationship(db: Db): AsyncIterable<Edge> {
  return relationshipsCollection(db).find({}, { projection: { _id: 0, from: 1, to: 1, kind: 1 } });
}
