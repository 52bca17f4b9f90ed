import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config.js';
import type { batchScoringWorkflow } from '../../workflows/batch-scoring/workflow.js';
import { batchScoringSettings } from './settings.js';
import { workflowStaticMetadata } from '../../workflows/summaries.js';

/**
 * Batch scoring runs on a Temporal Schedule that the worker creates (or updates) at start-up. Its id is
 * BATCH_SCORING_SCHEDULE_ID (default `batch-scoring`; two deployments sharing a namespace set different ones), and
 * its runs' workflow ids start with it too. Operating it (`batch-scoring` below stands for the configured id):
 * - see it and its recent/next runs: Temporal UI → Schedules → `batch-scoring`, or
 *   `temporal schedule describe --schedule-id batch-scoring`;
 * - run now: the UI's "Trigger" button, `temporal schedule trigger --schedule-id batch-scoring`, or
 *   `POST /api/v1/feed/batch-runs` (operator token);
 * - pause / resume: the UI's "Pause", `temporal schedule toggle --schedule-id batch-scoring --pause --reason "..."`
 *   (`--unpause` to resume), or `PUT /api/v1/feed/batch-schedule {"paused": true}`; a worker restart keeps the pause;
 * - progress of a running run: open its workflow (`batch-scoring-<time>`) in the UI → Queries → `getScoringProgress`,
 *   or `temporal workflow query --workflow-id <id> --type getScoringProgress`;
 * - finished runs: `GET /api/v1/feed/batch-runs` or the `scoring_runs` collection.
 */
export function batchScoringScheduleId(config: Pick<Config, 'BATCH_SCORING_SCHEDULE_ID'>): string {
  return config.BATCH_SCORING_SCHEDULE_ID;
}

export function batchScoringSchedule(config: Config): ScheduleOptions {
  return {
    scheduleId: batchScoringScheduleId(config),
    spec: { intervals: [{ every: `${config.BATCH_SCORING_INTERVAL_MINUTES} minutes` }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'batchScoringWorkflow',
      // Temporal appends each run's scheduled time to this id, so every run has its own id and scoring_runs record.
      workflowId: batchScoringScheduleId(config),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ settings: batchScoringSettings(config) }] satisfies Parameters<typeof batchScoringWorkflow>,
      // Schedules start runs server-side, past the client interceptor that describes other starts.
      ...workflowStaticMetadata('batchScoringWorkflow', `schedule:${batchScoringScheduleId(config)}`),
    },
    // A run that outlasts the interval is not joined by a second one scoring the same users.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
}

/**
 * Creates the schedule at worker start, or brings an existing one to this config (interval, settings). The pause
 * state is left as it is, so a restart does not undo an operator's pause.
 */
export function ensureBatchScoringSchedule(client: Client, config: Config): Promise<'created' | 'updated'> {
  return ensureSchedule(client, batchScoringSchedule(config));
}

/** Creates a schedule, or updates an existing one's spec, action and policies, keeping its pause state. */
export async function ensureSchedule(client: Client, options: ScheduleOptions): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(options.scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
    }));
    return 'updated';
  }
}
