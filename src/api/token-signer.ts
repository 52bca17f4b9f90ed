import fastifyJwt from '@fastify/jwt';
import Fastify from 'fastify';
import type { Config } from '../config.js';
import type { Role } from './principal.js';
import { DEV_TOKEN_EXPIRY, jwtOptions } from './tokens.js';

/** Signs bearer tokens outside the API process, for local tools (scripts/mint-token.ts, the demo seeder). */
export interface TokenSigner {
  /** A token for `userId` with `roles`, valid for DEV_TOKEN_EXPIRY. */
  sign(userId: string, roles: Role[]): string;
  close(): Promise<void>;
}

/**
 * A signer with the API's own JWT options (secret, algorithm, issuer), so its tokens are ones the API accepts when
 * both read the same JWT_SECRET. Refused under NODE_ENV=production, like the dev-token route: a production secret
 * is not for minting tokens by hand.
 */
export async function createDevTokenSigner(config: Config): Promise<TokenSigner> {
  if (config.NODE_ENV === 'production') throw new Error('Refusing to mint a dev token with NODE_ENV=production.');
  const signer = Fastify({ logger: false });
  await signer.register(fastifyJwt, jwtOptions(config));
  await signer.ready();
  return {
    sign: (userId, roles) => signer.jwt.sign({ sub: userId, roles }, { expiresIn: DEV_TOKEN_EXPIRY }),
    close: () => signer.close(),
  };
}
