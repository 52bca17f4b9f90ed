import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { StepError } from '../../src/domain/brain-command.js';

/**
 * What the user and operators see of a failed step. Refusals (403, 404, 409, 422, not_available) come from the
 * activity as non-retryable failures typed with their code and carrying the REST status; anything else failed
 * after its retries, a 500 with the last message.
 */
export function stepError(error: unknown): StepError {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.nonRetryable && cause.type) {
    return { code: cause.type, status: statusIn(cause.details), message: cause.message };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: 'step_failed', status: 500, message };
}

function statusIn(details: unknown[] | undefined | null): number {
  const first: unknown = details?.[0];
  if (typeof first === 'object' && first !== null) {
    const status = (first as { status?: unknown }).status;
    if (typeof status === 'number') return status;
  }
  return 500;
}
