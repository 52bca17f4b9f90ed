import { createHash, randomUUID } from 'node:crypto';
import type { CommandView } from '../../../domain/brain-command.js';
import type { Command } from '../../schemas/brain.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** What a client sees of a command: no compensation internals, times as ISO strings. */
export function commandResponse(view: CommandView): Command {
  return {
    id: view.commandId,
    userId: view.userId,
    text: view.text,
    intent: view.intent,
    status: view.status,
    steps: view.steps.map((s) => ({
      index: s.index,
      action: s.action,
      state: s.state,
      summary: s.summary,
      targets: s.targets,
      error: s.error,
    })),
    history: view.history.map((h) => ({ at: iso(h.atMs), kind: h.kind, stepIndex: h.stepIndex, detail: h.detail })),
    awaitingConfirmation: view.awaiting
      ? {
          stepIndex: view.awaiting.stepIndex,
          deadline: iso(view.awaiting.deadlineMs),
          ...(view.awaiting.targets && { targets: view.awaiting.targets }),
        }
      : null,
    undoneBy: view.undoneBy,
    createdAt: iso(view.createdAtMs),
    updatedAt: iso(view.updatedAtMs),
  };
}

/** A retried request with the same Idempotency-Key names the same command, so it cannot start a second one. */
export function newCommandId(callerId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return `bc_${randomUUID().replace(/-/g, '')}`;
  return `bc_${createHash('sha256').update(`${callerId}\n${idempotencyKey}`).digest('hex').slice(0, 32)}`;
}
