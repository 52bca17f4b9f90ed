import buildGetJwks from 'get-jwks';

/** Algorithms accepted from the JWKS; HS* stays with JWT_SECRET so a public key can never be used as an HMAC secret. */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export type JwksAlgorithm = (typeof JWKS_ALGORITHMS)[number];

export function isJwksAlgorithm(alg: string): alg is JwksAlgorithm {
  return (JWKS_ALGORITHMS as readonly string[]).includes(alg);
}

export type PublicKeyResolver = (header: { alg: string; kid?: string }) => Promise<string>;

/**
 * Resolves a token's signing key from JWT_JWKS_URL (a full URL of a JWKS document, e.g. an identity provider's
 * `.../.well-known/jwks.json`). get-jwks caches keys and keeps serving a stale key while the provider is unreachable.
 */
export function jwksKeyResolver(jwksUrl: string): PublicKeyResolver {
  const url = new URL(jwksUrl);
  const getJwks = buildGetJwks({ jwksPath: `${url.pathname}${url.search}`, ttl: 10 * 60_000 });
  return ({ alg, kid }) => getJwks.getPublicKey({ domain: url.origin, alg, kid });
}
