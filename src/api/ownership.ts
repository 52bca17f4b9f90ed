import { assertPrincipalCanActFor } from '../domain/ownership.js';
import type { Principal } from './principal.js';
import { unauthorized } from './problems.js';

/**
 * The ownership rule of src/domain/ownership.ts for a request: 401 without a principal, 403 (a Refusal, which the
 * error handler turns into the problem) for anyone who may not act for the owner.
 */
export function assertCanActFor(principal: Principal | undefined, ownerUserId: string): asserts principal is Principal {
  if (!principal) throw unauthorized();
  assertPrincipalCanActFor(principal, ownerUserId);
}
