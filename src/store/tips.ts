import type { Collection, Db } from 'mongodb';
import { DUPLICATE_KEY } from './mongo-errors.js';

/**
 * Tips between users. The _id is chosen by the caller from the command step and recipient, so a retried step finds
 * the tip its first attempt wrote and never charges twice; a refund flips the status instead of deleting.
 */
export interface TipDoc {
  _id: string;
  from: string;
  to: string;
  amountMinor: number;
  currency: string;
  status: 'charged' | 'refunded';
  createdAt: Date;
  refundedAt: Date | null;
}

export function tipsCollection(db: Db): Collection<TipDoc> {
  return db.collection<TipDoc>('tips');
}

export async function ensureTipIndexes(db: Db): Promise<void> {
  await tipsCollection(db).createIndex({ to: 1, createdAt: -1 });
  await tipsCollection(db).createIndex({ from: 1, createdAt: -1 });
}

/** Charges the tip once; returns the stored tip (the first attempt's, on a retry). */
export async function chargeTip(db: Db, tip: Omit<TipDoc, 'status' | 'refundedAt'>): Promise<TipDoc> {
  const doc: TipDoc = { ...tip, status: 'charged', refundedAt: null };
  try {
    await tipsCollection(db).insertOne(doc);
    return doc;
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    return (await tipsCollection(db).findOne({ _id: tip._id })) ?? doc;
  }
}

export async function refundTip(db: Db, tipId: string, now: Date): Promise<void> {
  await tipsCollection(db).updateOne(
    { _id: tipId, status: 'charged' },
    { $set: { status: 'refunded', refundedAt: now } },
  );
}

export function findTip(db: Db, tipId: string): Promise<TipDoc | null> {
  return tipsCollection(db).findOne({ _id: tipId });
}
