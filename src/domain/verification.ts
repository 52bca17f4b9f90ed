// Creator verification: a request waits for an operator's decision; past the deadline it is escalated to the
// operators, and if nobody decides within the grace period after that it expires (the creator may ask again).

export const VERIFICATION_STATUSES = ['pending', 'escalated', 'approved', 'rejected', 'expired'] as const;
export type VerificationStatusName = (typeof VERIFICATION_STATUSES)[number];

export interface VerificationDecision {
  decision: 'approve' | 'reject';
  operatorId: string;
  reason?: string;
}

/**
 * A decision as sent from the Temporal UI is hand-written JSON: anything not exactly a decision is null, so the
 * signal handler drops it instead of failing the workflow task.
 */
export function parseVerificationDecision(input: unknown): VerificationDecision | null {
  if (typeof input !== 'object' || input === null) return null;
  const { decision, operatorId, reason } = input as Record<string, unknown>;
  if (decision !== 'approve' && decision !== 'reject') return null;
  if (typeof operatorId !== 'string' || operatorId.length === 0 || operatorId.length > 64) return null;
  if (reason !== undefined && typeof reason !== 'string') return null;
  return { decision, operatorId, ...(reason ? { reason: reason.slice(0, 500) } : {}) };
}

export function isFinalVerificationStatus(status: VerificationStatusName): boolean {
  return status === 'approved' || status === 'rejected' || status === 'expired';
}
