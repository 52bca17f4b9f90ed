import type { Collection, Db } from 'mongodb';
import type { CommandView } from '../domain/brain-command.js';
import { DUPLICATE_KEY } from './mongo-errors.js';

/**
 * Brain Mode command history (`brain_commands`): the workflow's view of each command, replaced whole by its record
 * activity on every change. The workflow awaits each write before the next, so the last write is the newest.
 */
export interface BrainCommandDoc extends Omit<CommandView, 'commandId'> {
  _id: string;
  createdAt: Date;
}

export function brainCommandsCollection(db: Db): Collection<BrainCommandDoc> {
  return db.collection<BrainCommandDoc>('brain_commands');
}

export async function ensureBrainCommandIndexes(db: Db): Promise<void> {
  // The caller's history, newest first; and undo's "last completed command of this user".
  await brainCommandsCollection(db).createIndex({ userId: 1, createdAtMs: -1 });
}

export function commandDoc(view: CommandView): BrainCommandDoc {
  const { commandId, ...rest } = view;
  return { _id: commandId, ...rest, createdAt: new Date(view.createdAtMs) };
}

export function commandView(doc: BrainCommandDoc): CommandView {
  const { _id, createdAt: _createdAt, ...rest } = doc;
  return { commandId: _id, ...rest };
}

/** Written by the workflow; `undoneBy` belongs to the undo that took the command back, so it survives the rewrite. */
export async function saveBrainCommand(db: Db, view: CommandView): Promise<void> {
  const stored = await brainCommandsCollection(db).findOne({ _id: view.commandId }, { projection: { undoneBy: 1 } });
  const doc = commandDoc({ ...view, undoneBy: stored?.undoneBy ?? view.undoneBy });
  await brainCommandsCollection(db).replaceOne({ _id: doc._id }, doc, { upsert: true });
}

/** The API's first write, so GET /commands/:id answers before the workflow's first record lands. */
export async function insertPlannedCommand(db: Db, view: CommandView): Promise<void> {
  try {
    await brainCommandsCollection(db).insertOne(commandDoc(view));
  } catch (error) {
    // A retried request (same Idempotency-Key) or the workflow's own first record got there first.
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
  }
}

export async function findBrainCommand(db: Db, commandId: string): Promise<CommandView | null> {
  const doc = await brainCommandsCollection(db).findOne({ _id: commandId });
  return doc && commandView(doc);
}

/** One page of a user's commands, newest first; `beforeMs` is the createdAtMs of the previous page's last item. */
export async function listBrainCommands(
  db: Db,
  userId: string,
  before: { createdAtMs: number; commandId: string } | null,
  limit: number,
): Promise<CommandView[]> {
  const filter = before
    ? {
        userId,
        $or: [
          { createdAtMs: { $lt: before.createdAtMs } },
          { createdAtMs: before.createdAtMs, _id: { $lt: before.commandId } },
        ],
      }
    : { userId };
  const docs = await brainCommandsCollection(db).find(filter).sort({ createdAtMs: -1, _id: -1 }).limit(limit).toArray();
  return docs.map(commandView);
}

export async function recentCompletedCommands(db: Db, userId: string, limit: number): Promise<CommandView[]> {
  const docs = await brainCommandsCollection(db)
    .find({ userId, status: 'completed' })
    .sort({ createdAtMs: -1 })
    .limit(limit)
    .toArray();
  return docs.map(commandView);
}

/** Marks a command taken back by an undo; a repeat with the same undo is a no-op. */
export async function markBrainCommandUndone(db: Db, commandId: string, undoneBy: string, now: Date): Promise<void> {
  const doc = await brainCommandsCollection(db).findOne({ _id: commandId });
  if (!doc || doc.undoneBy) return;
  const history = [
    ...doc.history,
    { atMs: now.getTime(), kind: 'undone' as const, stepIndex: null, detail: `by ${undoneBy}` },
  ];
  await brainCommandsCollection(db).updateOne(
    { _id: commandId },
    { $set: { undoneBy, status: 'compensated', history, updatedAtMs: now.getTime() } },
  );
}
