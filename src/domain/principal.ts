/**
 * Who is acting: the API builds it from a JWT, Brain Mode steps from the caller a command was started by. Pure, so
 * the API and the activities share one definition of roles and of who may act for whom.
 */

/** `service` is for trusted producers (other backends), `operator` for people running the platform. */
export const ROLES = ['user', 'creator', 'operator', 'service'] as const;
export type Role = (typeof ROLES)[number];

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
