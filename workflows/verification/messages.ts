import { defineQuery, defineSignal } from '@temporalio/workflow';
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
