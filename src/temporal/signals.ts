import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import type { EngagementEvent } from '../domain/interest-profile.js';
import type { userInterestWorkflow } from '../../workflows/user-interest/workflow.js';
import { engagementsSignal } from '../../workflows/user-interest/messages.js';
import { temporalSignals } from './metrics.js';
import { userInterestSettings } from './settings.js';
import { workflowIds } from './workflow-ids.js';

/** One signal-with-start per user per relay round: the first event creates the workflow (DESIGN.md). */
export async function signalUserEngagements(
  client: Client,
  config: Config,
  userId: string,
  events: EngagementEvent[],
): Promise<void> {
  try {
    await client.workflow.signalWithStart<typeof userInterestWorkflow, [{ events: EngagementEvent[] }]>(
      'userInterestWorkflow',
      {
        workflowId: workflowIds.userInterest(userId),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [{ userId, settings: userInterestSettings(config) }],
        signal: engagementsSignal,
        signalArgs: [{ events }],
      },
    );
    temporalSignals.inc({ workflow: 'user-interest', outcome: 'ok' });
  } catch (error) {
    temporalSignals.inc({ workflow: 'user-interest', outcome: 'error' });
    throw error;
  }
}
