import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config.js';
import { ensureSchedule } from '../workflow-clients/schedules.js';

/**
 * The learning-loop schedule (id LEARNING_SCHEDULE_ID, every LEARNING_INTERVAL_MINUTES): drains impressions and
 * joins feedback (workflows/learning-loop). Operate it like batch scoring: `temporal schedule trigger|toggle
 * --schedule-id learning-loop`, or the Temporal UI's Schedules page.
 */
export function learningSchedule(config: Config): ScheduleOptions {
  return {
    scheduleId: config.LEARNING_SCHEDULE_ID,
    spec: { intervals: [{ every: `${config.LEARNING_INTERVAL_MINUTES} minutes` }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'learningLoopWorkflow',
      workflowId: config.LEARNING_SCHEDULE_ID,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [],
    },
    // Two drains at once would be harmless (idempotent) but wasteful.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
}

/** Creates the schedule at worker start or brings it to this config; an operator's pause is kept. */
export function ensureLearningSchedule(client: Client, config: Config): Promise<'created' | 'updated'> {
  return ensureSchedule(client, learningSchedule(config));
}
