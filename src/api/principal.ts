import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { hasAnyRole, type Role } from '../domain/principal.js';
import { forbidden, unauthorized } from './problems.js';

// Roles and principals are domain data: Brain Mode steps authorise with the same definitions (src/domain/principal.ts).
export { ROLES, hasAnyRole, isRole, type Principal, type Role } from '../domain/principal.js';

/** Marks hooks that need a bearer token, so the OpenAPI document can say so (see plugins/auth.ts). */
export const NEEDS_BEARER_TOKEN = Symbol('needsBearerToken');

/**
 * A preHandler that lets through only principals holding one of `roles`: 401 without a token, 403 with one that
 * lacks them. Every /api route is authenticated first (plugins/auth.ts); e.g. `preHandler: requireRole('operator')`.
 */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  const hook = async (request: FastifyRequest): Promise<void> => {
    const { principal } = request;
    if (!principal) throw unauthorized();
    if (!hasAnyRole(principal, roles)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
  };
  return Object.assign(hook, { [NEEDS_BEARER_TOKEN]: true });
}
