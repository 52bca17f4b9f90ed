import type { ActivityOptions } from '@temporalio/workflow';

/** Entity workflows' reads and writes of their read model: short, idempotent, retried until the store is back. */
export const ENTITY_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const satisfies ActivityOptions;
