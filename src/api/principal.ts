import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { forbidden, unauthorized } from './problems.js';

/** `service` is for trusted producers (other backends), `operator` for people running the platform. */
export const ROLES = ['user', 'creator', 'operator', 'service'] as const;
export type Role = (typeof ROLES)[number];

/** Who made the request: the JWT's `sub` and its known roles. `request.principal` is undefined without a token. */
export interface Principal {
  userId: string;
  roles: Role[];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}

/** Marks hooks that need a bearer token, so the OpenAPI document can say so (see plugins/auth.ts). */
export const NEEDS_BEARER_TOKEN = Symbol('needsBearerToken');

/**
 * A preHandler that lets through only principals holding one of `roles`: 401 without a token, 403 with one that
 * lacks them. Use after `fastify.authenticate` or alone; e.g. `preHandler: requireRole('operator')`.
 */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  const hook = async (request: FastifyRequest): Promise<void> => {
    const { principal } = request;
    if (!principal) throw unauthorized();
    if (!hasAnyRole(principal, roles)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
  };
  return Object.assign(hook, { [NEEDS_BEARER_TOKEN]: true });
}
