import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CommandView, PlannedStep } from '../../src/domain/brain-command.js';

/** Update and query objects shared by the workflow, the API and the tests (no workflow logic here). */
export interface BrainCommandSettings {
  /** How long a risky step waits for the user's yes before the command expires. */
  confirmationMs: number;
}

/** Who asked: every step is authorised as this caller, exactly as the REST API would. */
export interface BrainCaller {
  userId: string;
  roles: string[];
}

export interface BrainCommandInput {
  commandId: string;
  caller: BrainCaller;
  text: string;
  /** The first step's intent: the BrainIntent search attribute. */
  intent: string;
  steps: PlannedStep[];
  settings: BrainCommandSettings;
}

export interface ConfirmationDecision {
  approve: boolean;
}

/**
 * The user's yes or no for the step awaiting confirmation. An update rather than a signal so the API learns at once
 * whether there was anything to confirm (the validator rejects with `not_awaiting_confirmation` → 409).
 */
export const confirmStepUpdate = defineUpdate<CommandView, [ConfirmationDecision]>('confirm');
export const getStatusQuery = defineQuery<CommandView>('getStatus');
