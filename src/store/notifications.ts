import type { Collection, Db } from 'mongodb';
import { DUPLICATE_KEY } from './mongo-errors.js';

/**
 * Notification records that apps show in an inbox (delivery by push or e-mail is a separate concern). Written by
 * workflow activities with a deterministic _id, so a retried or replayed activity writes each one once.
 */
export interface NotificationDoc {
  _id: string;
  /** A user id, or 'operators' for the operator queue. */
  recipient: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
}

export const OPERATORS_RECIPIENT = 'operators';

export function notificationsCollection(db: Db): Collection<NotificationDoc> {
  return db.collection<NotificationDoc>('notifications');
}

export async function ensureNotificationIndexes(db: Db): Promise<void> {
  await notificationsCollection(db).createIndex({ recipient: 1, createdAt: -1 });
}

/** Inserts once: a second write with the same _id is the retry of the first and changes nothing. */
export async function writeNotification(db: Db, doc: NotificationDoc): Promise<void> {
  try {
    await notificationsCollection(db).insertOne(doc);
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
  }
}

export function listNotifications(db: Db, recipient: string, limit = 50): Promise<NotificationDoc[]> {
  return notificationsCollection(db).find({ recipient }).sort({ createdAt: -1 }).limit(limit).toArray();
}
