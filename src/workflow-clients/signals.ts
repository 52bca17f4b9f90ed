import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import type { EngagementEvent } from '../domain/interest-profile.js';
import type { userInterestWorkflow } from '../../workflows/user-interest/workflow.js';
import type { ContentType } from '../domain/engagement.js';
import type { DeliveryPart } from '../domain/recent-ids.js';
import {
  contentTypeOptOutsSignal,
  engagementsSignal,
  type EngagementBatch,
} from '../../workflows/user-interest/messages.js';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import type { OnboardingProgressEvent } from '../domain/onboarding.js';
import { onboardingProgressSignal } from '../../workflows/onboarding/messages.js';
import type { creatorStatsWorkflow } from '../../workflows/creator-stats/workflow.js';
import { creatorMetricsSignal, type CreatorMetricsBatch } from '../../workflows/creator-stats/messages.js';
import { temporalSignals } from './metrics.js';
import { creatorStatsSettings, userInterestSettings } from './settings.js';
import { workflowIds } from '../../workflows/ids.js';

/** One signal-with-start per user per relay delivery: a user's first event creates their workflow, later ones find it. */
export function signalUserEngagements(
  client: Client,
  config: Config,
  userId: string,
  events: EngagementEvent[],
  parts?: DeliveryPart[],
): Promise<void> {
  const batch: EngagementBatch = parts ? { events, parts } : { events };
  return signalWithStartUserInterest(client, config, userId, engagementsSignal, batch);
}

/**
 * A change of the user's content-type opt-outs (shared preferences). With start, like engagements: the interest
 * profile must follow the preference even for a user whose workflow idled out, and a new workflow then persists a
 * profile carrying the opt-outs.
 */
export function signalContentTypeOptOuts(
  client: Client,
  config: Config,
  userId: string,
  contentTypeOptOuts: ContentType[],
): Promise<void> {
  return signalWithStartUserInterest(client, config, userId, contentTypeOptOutsSignal, { contentTypeOptOuts });
}

function signalWithStartUserInterest<A>(
  client: Client,
  config: Config,
  userId: string,
  signal: SignalDefinition<[A]>,
  arg: A,
): Promise<void> {
  return countedSignal('user-interest', () =>
    client.workflow.signalWithStart<typeof userInterestWorkflow, [A]>('userInterestWorkflow', {
      workflowId: workflowIds.userInterest(userId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ userId, settings: userInterestSettings(config) }],
      signal,
      signalArgs: [arg],
    }),
  );
}

/** Sends and counts the outcome in temporal_signals_total. */
async function countedSignal(workflow: string, send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
    temporalSignals.inc({ workflow, outcome: 'ok' });
  } catch (error) {
    temporalSignals.inc({ workflow, outcome: 'error' });
    throw error;
  }
}

/**
 * Onboarding progress from any path (identities, follows, engagements). Returns false when the user has no running
 * onboarding (never started, or already completed): progress then has nothing to advance, which is not an error.
 */
export async function signalOnboardingProgress(
  client: Client,
  userId: string,
  event: OnboardingProgressEvent,
): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowIds.onboarding(userId)).signal(onboardingProgressSignal, event);
    temporalSignals.inc({ workflow: 'onboarding', outcome: 'ok' });
    return true;
  } catch (error) {
    const missing = error instanceof WorkflowNotFoundError;
    temporalSignals.inc({ workflow: 'onboarding', outcome: missing ? 'not_running' : 'error' });
    if (missing) return false;
    throw error;
  }
}

/** For the follow path (issue 5): a follow completes the follower's "follow a creator" onboarding step. */
export function signalCreatorFollowed(client: Client, followerId: string, creatorId: string): Promise<boolean> {
  return signalOnboardingProgress(client, followerId, { kind: 'creator_followed', creatorId });
}

/**
 * An engagement completes the "first engagement" onboarding step. The user-interest workflow sends this itself at
 * the first engagement it applies (workflows/user-interest/first-engagement.ts); this is for other paths and tools.
 */
export function signalFirstEngagement(client: Client, userId: string, eventId: string): Promise<boolean> {
  return signalOnboardingProgress(client, userId, { kind: 'engaged', eventId });
}

/** Summed metric deltas for one creator (one signal per relay delivery, or one per follow change). */
export function signalCreatorMetrics(
  client: Client,
  config: Config,
  creatorId: string,
  batch: CreatorMetricsBatch,
): Promise<void> {
  return countedSignal('creator-stats', () =>
    client.workflow.signalWithStart<typeof creatorStatsWorkflow, [CreatorMetricsBatch]>('creatorStatsWorkflow', {
      workflowId: workflowIds.creatorStats(creatorId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ creatorId, settings: creatorStatsSettings(config) }],
      signal: creatorMetricsSignal,
      signalArgs: [batch],
    }),
  );
}
