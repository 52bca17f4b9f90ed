import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { tsToDate } from '@temporalio/common/lib/time.js';
import type { Config } from '../config.js';
import type { ExternalLink } from '../domain/external-links.js';
import { onboardingSeedEventId, type OnboardingProgressEvent } from '../domain/onboarding.js';
import type { VerificationDecision, VerificationStatusName } from '../domain/verification.js';
import type { EngagementEvent } from '../domain/interest-profile.js';
import {
  getOnboardingProgressQuery,
  onboardingProgressSignal,
  type OnboardingProgress,
} from '../../workflows/onboarding/messages.js';
import type { onboardingWorkflow } from '../../workflows/onboarding/workflow.js';
import {
  decideVerificationUpdate,
  getVerificationQuery,
  type VerificationState,
} from '../../workflows/verification/messages.js';
import type { verificationWorkflow } from '../../workflows/verification/workflow.js';
import { temporalSignals } from './metrics.js';
import { VerificationStatus } from '../../workflows/search-attributes.js';
import { onboardingSettings, verificationSettings } from './settings.js';
import { signalUserEngagements } from './signals.js';
import { workflowIds } from '../../workflows/ids.js';

/** Claiming a handle is onboarding's first step, so the identity's creation starts the workflow with it done. */
export async function startOnboarding(client: Client, config: Config, userId: string, handle: string): Promise<void> {
  await client.workflow.signalWithStart<typeof onboardingWorkflow, [OnboardingProgressEvent]>('onboardingWorkflow', {
    workflowId: workflowIds.onboarding(userId),
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [{ userId, settings: onboardingSettings(config) }],
    signal: onboardingProgressSignal,
    signalArgs: [{ kind: 'handle_claimed', handle }],
  });
  temporalSignals.inc({ workflow: 'onboarding', outcome: 'ok' });
}

/**
 * Picked interests seed the interest profile as synthetic `follow` engagements, one per topic: a follow is the
 * strongest standing intent the profile knows, and the per-topic event id makes a repeated pick a no-op there.
 */
export async function seedInterests(
  client: Client,
  config: Config,
  userId: string,
  topics: string[],
  atMs: number,
): Promise<void> {
  const events: EngagementEvent[] = topics.map((topic) => ({
    eventId: onboardingSeedEventId(topic),
    type: 'follow',
    occurredAtMs: atMs,
    topics: [topic],
  }));
  await signalUserEngagements(client, config, userId, events);
}

export async function onboardingProgress(client: Client, userId: string): Promise<OnboardingProgress | null> {
  return orNullWhenMissing(client.workflow.getHandle(workflowIds.onboarding(userId)).query(getOnboardingProgressQuery));
}

/** Starts a verification request; false when one is already open (a closed one may be followed by a new request). */
export async function startVerification(
  client: Client,
  config: Config,
  userId: string,
  evidence: ExternalLink[],
  requestedAt: Date,
): Promise<boolean> {
  try {
    await client.workflow.start<typeof verificationWorkflow>('verificationWorkflow', {
      workflowId: workflowIds.verification(userId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ userId, evidence, settings: verificationSettings(config), requestedAtMs: requestedAt.getTime() }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      // The operators' list reads the request time from here, so it equals the one the reply and the query show.
      memo: { requestedAtMs: requestedAt.getTime() },
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

export function verificationState(client: Client, userId: string): Promise<VerificationState | null> {
  return orNullWhenMissing(client.workflow.getHandle(workflowIds.verification(userId)).query(getVerificationQuery));
}

/** Decided: the status it leads to; refused: the request's current status (null when there never was one). */
export type DecisionOutcome =
  { decided: true; status: VerificationStatusName } | { decided: false; status: VerificationStatusName | null };

/**
 * An Update rather than the UI's `decide` signal, so a request that is no longer open (decided, expired, or
 * finishing) refuses the decision instead of dropping it silently.
 */
export async function decideVerification(
  client: Client,
  userId: string,
  decision: VerificationDecision,
): Promise<DecisionOutcome> {
  const handle = client.workflow.getHandle(workflowIds.verification(userId));
  try {
    const status = await handle.executeUpdate(decideVerificationUpdate, { args: [decision] });
    temporalSignals.inc({ workflow: 'verification', outcome: 'ok' });
    return { decided: true, status };
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError) && !(error instanceof WorkflowNotFoundError)) throw error;
    const state = await verificationState(client, userId);
    return { decided: false, status: state?.status ?? null };
  }
}

async function orNullWhenMissing<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

export interface OpenVerification {
  userId: string;
  status: 'pending' | 'escalated';
  workflowId: string;
  requestedAt: Date;
}

export interface OpenVerificationsPage {
  items: OpenVerification[];
  /** Temporal's own page token for the next page; null on the last one. */
  nextPageToken: Uint8Array | null;
}

/**
 * One page of open requests by status, from the VerificationStatus search attribute (what operators filter on in
 * the UI), newest first. Paged by Temporal's visibility page token, so the order and the page boundaries are the
 * server's own.
 */
export async function listOpenVerifications(
  client: Client,
  status: 'pending' | 'escalated',
  limit: number,
  pageToken: Uint8Array | null = null,
): Promise<OpenVerificationsPage> {
  const query = `WorkflowType = 'verificationWorkflow' AND ExecutionStatus = 'Running' AND ${VerificationStatus.name} = '${status}'`;
  const page = await client.workflowService.listWorkflowExecutions({
    namespace: client.options.namespace,
    pageSize: limit,
    nextPageToken: pageToken,
    query,
  });
  const prefix = workflowIds.verification('');
  const items = (page.executions ?? []).flatMap((info) => {
    const workflowId = info.execution?.workflowId;
    if (!workflowId?.startsWith(prefix) || !info.startTime) return [];
    const memo = info.memo?.fields?.requestedAtMs;
    const memoMs = memo ? client.options.loadedDataConverter.payloadConverter.fromPayload<unknown>(memo) : null;
    const requestedAt = typeof memoMs === 'number' ? new Date(memoMs) : tsToDate(info.startTime);
    return [{ userId: workflowId.slice(prefix.length), status, workflowId, requestedAt }];
  });
  const next = page.nextPageToken;
  return { items, nextPageToken: next && next.length > 0 ? next : null };
}
