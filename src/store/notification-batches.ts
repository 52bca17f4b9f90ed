import type { Db, MongoBulkWriteError } from 'mongodb';
import { DUPLICATE_KEY } from './mongo-errors.js';
import { notificationsCollection, type NotificationDoc } from './notifications.js';

/**
 * Many notifications at once (a show going live fans out to every follower). One insertMany per batch, unordered:
 * documents whose deterministic _id is already stored are the retry of an earlier attempt and are skipped.
 * Returns how many were new.
 */
export async function insertNotificationsOnce(db: Db, docs: NotificationDoc[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    const result = await notificationsCollection(db).insertMany(docs, { ordered: false });
    return result.insertedCount;
  } catch (error) {
    const bulk = error as MongoBulkWriteError;
    const writeErrors = bulk.writeErrors === undefined ? [] : [bulk.writeErrors].flat();
    if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
    return docs.length - writeErrors.length;
  }
}

export interface NotificationPosition {
  at: number;
  id: string;
}

/** A cursor's content is client input: this checks it is a position a notifications page returned. */
export function isNotificationPosition(value: unknown): value is NotificationPosition {
  return (
    typeof value === 'object' &&
    value !== null &&
    Number.isSafeInteger((value as { at?: unknown }).at) &&
    typeof (value as { id?: unknown }).id === 'string'
  );
}

/** Where the next page starts: after this notification. */
export function notificationPosition(doc: NotificationDoc): NotificationPosition {
  return { at: doc.createdAt.getTime(), id: doc._id };
}

/** A recipient's notifications, newest first; `after` is the last item of the previous page. */
export function notificationsPage(
  db: Db,
  recipient: string,
  after: NotificationPosition | null,
  limit: number,
): Promise<NotificationDoc[]> {
  const older = after
    ? { $or: [{ createdAt: { $lt: new Date(after.at) } }, { createdAt: new Date(after.at), _id: { $lt: after.id } }] }
    : {};
  return notificationsCollection(db)
    .find({ recipient, ...older })
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit)
    .toArray();
}
