import {
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { IdentityActivities } from '../../activities/identity.js';
import {
  isFinalVerificationStatus,
  parseVerificationDecision,
  type VerificationDecision,
  type VerificationStatusName,
} from '../../src/domain/verification.js';
import { ENTITY_ACTIVITY_OPTIONS } from '../entity/activity-options.js';
import { VerificationStatus } from '../search-attributes.js';
import {
  decideVerificationUpdate,
  getVerificationQuery,
  verificationDecisionSignal,
  type VerificationInput,
} from './messages.js';

type Activities = IdentityActivities;
const { writeNotification, recordVerificationOutcome } = proxyActivities<Activities>(ENTITY_ACTIVITY_OPTIONS);

const OPERATORS = 'operators';

/** One verification request: pending → (deadline) escalated → (grace) expired, unless an operator decides first. */
export async function verificationWorkflow(input: VerificationInput): Promise<VerificationStatusName> {
  const { userId, evidence, settings } = input;
  const requestedAtMs = input.requestedAtMs ?? Date.now();
  let status: VerificationStatusName = 'pending';
  let decision: VerificationDecision | null = null;
  let waitUntilMs: number | null = Date.now() + settings.decisionDeadlineMs;

  setHandler(verificationDecisionSignal, (raw) => {
    // The first valid decision before the grace ends counts; later or malformed ones (e.g. typed by hand in the UI)
    // are dropped — a signal cannot answer, so the log says why.
    const parsed = isFinalVerificationStatus(status) ? null : parseVerificationDecision(raw);
    if (decision === null && parsed) decision = parsed;
    else
      log.warn('verification decision dropped', {
        userId,
        status,
        reason: parsed ? 'already decided' : 'late or malformed',
      });
  });
  setHandler(
    decideVerificationUpdate,
    (raw) => {
      decision ??= parseVerificationDecision(raw);
      return decisionStatus(decision);
    },
    {
      validator: (raw) => {
        if (decision) throw new Error(`already ${decisionStatus(decision)}`);
        if (isFinalVerificationStatus(status)) throw new Error(`already ${status}`);
        if (!parseVerificationDecision(raw)) throw new Error('not a decision');
      },
    },
  );
  setHandler(getVerificationQuery, () => ({ userId, status, evidence, requestedAtMs, waitUntilMs, decision }));
  const setStatus = (next: VerificationStatusName): void => {
    status = next;
    upsertSearchAttributes([{ key: VerificationStatus, value: next }]);
  };
  const notificationId = (occasion: string) =>
    `${workflowInfo().workflowId}:${workflowInfo().firstExecutionRunId}:${occasion}`;

  setStatus('pending');
  if (!(await condition(() => decision !== null, settings.decisionDeadlineMs))) {
    setStatus('escalated');
    waitUntilMs = Date.now() + settings.escalationGraceMs;
    await writeNotification({
      id: notificationId('escalated'),
      recipient: OPERATORS,
      kind: 'verification_escalated',
      title: 'Verification request waiting past its deadline',
      body: `User ${userId} asked for verification and nobody has decided yet.`,
      data: { userId, workflowId: workflowInfo().workflowId, evidence },
    });
    await condition(() => decision !== null, settings.escalationGraceMs);
  }
  waitUntilMs = null;

  const final = decisionStatus(decision);
  setStatus(final);
  await recordVerificationOutcome({ userId, status: final, operatorId: decisionOperator(decision), atMs: Date.now() });
  await writeNotification({
    id: notificationId(final),
    recipient: userId,
    kind: `verification_${final}`,
    title: final === 'approved' ? 'You are verified' : 'Verification request closed',
    body:
      final === 'expired'
        ? 'Nobody could review your request in time; you may ask again.'
        : `Your request was ${final}.`,
    data: { status: final, ...(decisionReason(decision) ? { reason: decisionReason(decision) } : {}) },
  });
  return final;
}

// Helpers take the decision as a parameter: TypeScript cannot see that the signal handler assigns it.
function decisionStatus(decision: VerificationDecision | null): VerificationStatusName {
  if (!decision) return 'expired';
  return decision.decision === 'approve' ? 'approved' : 'rejected';
}
const decisionOperator = (decision: VerificationDecision | null) => decision?.operatorId;
const decisionReason = (decision: VerificationDecision | null) => decision?.reason;
