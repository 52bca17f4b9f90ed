import { hasAnyRole, type Principal } from './principal.js';
import { Refusal } from './refusal.js';

/**
 * The check every write makes before touching a user's data: the caller is that user, or an operator, or a trusted
 * service acting on the user's behalf. The REST routes (src/api/ownership.ts adds the 401) and the Brain Mode steps
 * call this one rule.
 */
export function canActFor(principal: Principal, ownerUserId: string): boolean {
  return principal.userId === ownerUserId || hasAnyRole(principal, ['operator', 'service']);
}

export function assertPrincipalCanActFor(principal: Principal, ownerUserId: string): void {
  if (!canActFor(principal, ownerUserId)) throw new Refusal('forbidden', `You cannot act for user ${ownerUserId}`);
}
