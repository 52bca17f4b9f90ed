import { proxyActivities } from '@temporalio/workflow';
import type { DrainResult, JoinRunResult, LearningActivities } from '../../activities/learning.js';

export interface LearningLoopResult {
  drained: DrainResult;
  joined: JoinRunResult;
}

/**
 * One pass of the learning loop, started by its schedule (src/learning/schedule.ts): drain the impression stream
 * into MongoDB, then join the impressions whose feedback window has closed with the engagements that followed.
 * Two activities and done, so no continue-as-new is needed; each activity is bounded and the next run goes on.
 */
export async function learningLoopWorkflow(): Promise<LearningLoopResult> {
  const acts = proxyActivities<LearningActivities>({
    startToCloseTimeout: '10 minutes',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 5 },
  });
  const drained = await acts.drainImpressions();
  const joined = await acts.joinFeedback(Date.now());
  return { drained, joined };
}
