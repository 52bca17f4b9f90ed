import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ExternalLink } from '../../src/domain/external-links.js';
import type { VerificationDecision, VerificationStatusName } from '../../src/domain/verification.js';

/** Signal and query objects shared by the workflow, the API and the tests. */
export interface VerificationSettings {
  /** How long operators have to decide before the request is escalated. */
  decisionDeadlineMs: number;
  /** How long after escalation the request stays open before it expires. */
  escalationGraceMs: number;
}

export interface VerificationInput {
  userId: string;
  evidence: ExternalLink[];
  settings: VerificationSettings;
  /** When the API accepted the request, so its reply, the query and the operators' list show one time. */
  requestedAtMs?: number;
}

export interface VerificationState {
  userId: string;
  status: VerificationStatusName;
  evidence: ExternalLink[];
  requestedAtMs: number;
  /** When the current wait ends: escalation while pending, expiry while escalated; null once decided. */
  waitUntilMs: number | null;
  decision: VerificationDecision | null;
}

/**
 * An operator's decision. Named 'decide' so it is easy to send from the Temporal UI, with a JSON payload such as
 * {"decision":"approve","operatorId":"ops-1"}; malformed payloads are dropped.
 */
export const verificationDecisionSignal = defineSignal<[VerificationDecision]>('decide');
export const getVerificationQuery = defineQuery<VerificationState>('getVerification');

/**
 * The API's decision: the validator refuses a second one (the signal silently drops it), so the operator learns it
 * did not count; the result is the status the decision leads to.
 */
export const decideVerificationUpdate = defineUpdate<VerificationStatusName, [VerificationDecision]>(
  'decideVerification',
);
