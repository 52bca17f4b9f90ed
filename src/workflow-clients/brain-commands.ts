import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import type { Config } from '../config.js';
import type { CommandView } from '../domain/brain-command.js';
import type { brainCommandWorkflow } from '../../workflows/brain-command/workflow.js';
import { confirmStepUpdate, type BrainCommandInput } from '../../workflows/brain-command/messages.js';
import { temporalSignals } from './metrics.js';
import { BrainIntent, CommandStatus } from '../../workflows/search-attributes.js';
import { brainCommandSettings } from './settings.js';
import { workflowIds } from '../../workflows/ids.js';

/**
 * Starts a command's workflow; false when it already runs or ran (a retried request with the same Idempotency-Key
 * derives the same command id, so it finds its first attempt's workflow instead of starting a second).
 */
export async function startBrainCommand(
  client: Client,
  config: Config,
  input: Omit<BrainCommandInput, 'settings'>,
): Promise<boolean> {
  try {
    await client.workflow.start<typeof brainCommandWorkflow>('brainCommandWorkflow', {
      workflowId: workflowIds.brainCommand(input.commandId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ ...input, settings: brainCommandSettings(config) }],
      typedSearchAttributes: new TypedSearchAttributes([
        { key: BrainIntent, value: input.intent },
        { key: CommandStatus, value: 'planned' },
      ]),
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    temporalSignals.inc({ workflow: 'brain-command', outcome: 'ok' });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    temporalSignals.inc({ workflow: 'brain-command', outcome: 'error' });
    throw error;
  }
}

/** Nothing to confirm: the command finished, expired or is not at a confirmation step. */
export class NotAwaitingConfirmation extends Error {
  constructor(commandId: string) {
    super(`Command ${commandId} is not waiting for a confirmation`);
    this.name = 'NotAwaitingConfirmation';
  }
}

export async function confirmBrainCommand(client: Client, commandId: string, approve: boolean): Promise<CommandView> {
  try {
    return await client.workflow
      .getHandle(workflowIds.brainCommand(commandId))
      .executeUpdate(confirmStepUpdate, { args: [{ approve }] });
  } catch (error) {
    const refused =
      error instanceof WorkflowNotFoundError ||
      (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure);
    if (refused) throw new NotAwaitingConfirmation(commandId);
    throw error;
  }
}
