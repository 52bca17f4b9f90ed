import type { FastifyJWTOptions } from '@fastify/jwt';
import type { Config } from '../config.js';
import type { Role } from './principal.js';

/** What our tokens carry: `sub` is the user id (docs/api-behaviour.md, "Conventions"). */
export interface TokenClaims {
  sub: string;
  roles: Role[];
  iss?: string;
}

/** Dev tokens are for trying the API by hand: long enough for a session, short enough to not linger. */
export const DEV_TOKEN_EXPIRY = '1d';

/**
 * @fastify/jwt options shared by the API, the dev-token route and scripts/mint-token.ts, so a minted token is one
 * the API accepts. Our own tokens are HS256 only: pinning the algorithm stops a token from choosing its own check.
 */
export function jwtOptions(config: Pick<Config, 'JWT_SECRET' | 'JWT_ISSUER'>): FastifyJWTOptions {
  return {
    secret: config.JWT_SECRET,
    sign: { algorithm: 'HS256', ...(config.JWT_ISSUER ? { iss: config.JWT_ISSUER } : {}) },
    verify: { algorithms: ['HS256'], ...(config.JWT_ISSUER ? { allowedIss: config.JWT_ISSUER } : {}) },
  };
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    user: TokenClaims;
  }
}
