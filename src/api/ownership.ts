import { hasAnyRole, type Principal } from './principal.js';
import { forbidden, unauthorized } from './problems.js';

/**
 * The check every write makes before touching a user's data: the caller is that user, or an operator, or a trusted
 * service acting on the user's behalf. Throws 401 without a principal and 403 for anyone else.
 */
export function assertCanActFor(principal: Principal | undefined, ownerUserId: string): asserts principal is Principal {
  if (!principal) throw unauthorized();
  if (principal.userId === ownerUserId || hasAnyRole(principal, ['operator', 'service'])) return;
  throw forbidden(`You cannot act for user ${ownerUserId}`);
}
