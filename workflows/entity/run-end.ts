import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';

/** Temporal suggests continue-as-new near its limits; this keeps histories far below the 10k-event warning. */
export const MAX_HISTORY_EVENTS = 5_000;

/** Whether this run has done its share: `handled` messages reached `limit`, or the history grew long. */
export function runIsFull({
  handled = 0,
  limit = Number.POSITIVE_INFINITY,
  maxHistoryEvents = MAX_HISTORY_EVENTS,
}: { handled?: number; limit?: number; maxHistoryEvents?: number } = {}): boolean {
  const info = workflowInfo();
  return handled >= limit || info.continueAsNewSuggested || info.historyLength > maxHistoryEvents;
}

/**
 * The end of a run, before continue-as-new: lets running handlers finish, then does the last write. Messages that
 * arrive during that write stay in the inbox, which the caller carries into the next run right after (no await in
 * between, so nothing can slip past).
 */
export async function beforeContinueAsNew(lastWrite: () => Promise<void>): Promise<void> {
  await condition(allHandlersFinished);
  await lastWrite();
}

/**
 * The end of an idle run: lets handlers finish and does the last write; true when the run may complete, false when
 * messages arrived meanwhile (the caller applies them and goes on instead of dropping them with the run).
 */
export async function quietAfterLastWrite(inbox: { size: number }, lastWrite: () => Promise<void>): Promise<boolean> {
  await condition(allHandlersFinished);
  await lastWrite();
  return inbox.size === 0 && allHandlersFinished();
}
