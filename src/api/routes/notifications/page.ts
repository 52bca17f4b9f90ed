import type { Db } from 'mongodb';
import {
  isNotificationPosition,
  notificationPosition,
  notificationsPage,
} from '../../../store/notification-batches.js';
import type { NotificationDoc } from '../../../store/notifications.js';
import { decodeCursor, encodeCursor, type PageQuery } from '../../schemas/common.js';
import type { Notification } from '../../schemas/notifications.js';

/** One shape for a notification on every route that lists them (the inbox, a user's, the operators'). */
export function notificationView(doc: NotificationDoc): Notification {
  return {
    id: doc._id,
    kind: doc.kind,
    title: doc.title,
    body: doc.body,
    data: doc.data,
    createdAt: doc.createdAt.toISOString(),
    readAt: doc.readAt?.toISOString() ?? null,
  };
}

/** A recipient's notifications, newest first, one page after the cursor. */
export async function notificationPage(
  db: Db,
  recipient: string,
  { limit, cursor }: PageQuery,
): Promise<{ items: Notification[]; nextCursor: string | null }> {
  const after = cursor ? decodeCursor(cursor, isNotificationPosition) : null;
  const docs = await notificationsPage(db, recipient, after, limit + 1);
  const items = docs.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(notificationView),
    nextCursor: docs.length > limit && last ? encodeCursor({ ...notificationPosition(last) }) : null,
  };
}
