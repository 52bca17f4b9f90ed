import fastifyJwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { isJwksAlgorithm, jwksKeyResolver } from '../jwks.js';
import { isRole, NEEDS_BEARER_TOKEN, type Principal, type Role } from '../principal.js';
import { unauthorized } from '../problems.js';
import { problemResponses } from '../schemas/common.js';
import { jwtOptions, type TokenClaims } from '../tokens.js';
import { VerifiedTokenCache } from './auth-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook for routes that need a caller: 401 problem when the token is missing, invalid or expired. */
    authenticate: onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    /** Set from a valid bearer token; undefined for anonymous requests and for requests with a bad token. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Opts a route under /api out of the bearer token every other route there needs (see plugins/auth.ts). */
    public?: boolean;
  }
}

/** Every route under this prefix needs a bearer token unless it says `config: { public: true }`. */
const GUARDED_PREFIX = '/api/';

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Enough for every client active within a minute on one API process; a minute caps a rotated key's tail. */
const VERIFIED_TOKENS = 10_000;
const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;

/**
 * JWT auth. Every request with an Authorization header is identified once, early (onRequest), so the rate limiter
 * can key on the user. Every route under /api needs a caller (`authenticate`, first of its onRequest hooks) unless
 * it opts out with `config: { public: true }`, so a new route is never open by omission; routes add roles with
 * `requireRole(...)`. Tokens are HS256 with JWT_SECRET, or signed by a key from JWT_JWKS_URL when set.
 */
async function auth(fastify: FastifyInstance, { config }: { config: Config }): Promise<void> {
  await fastify.register(fastifyJwt, jwtOptions(config));
  const resolvePublicKey = config.JWT_JWKS_URL ? jwksKeyResolver(config.JWT_JWKS_URL) : undefined;
  const failures = new WeakMap<FastifyRequest, string>();
  const verified = new VerifiedTokenCache<Principal>(VERIFIED_TOKENS, VERIFIED_TOKEN_MAX_AGE_MS);

  async function verify(token: string): Promise<TokenClaims> {
    const { header } = fastify.jwt.decode<{ header: { alg?: string; kid?: string } }>(token, { complete: true }) ?? {};
    const alg = header?.alg ?? '';
    if (alg === 'HS256') return fastify.jwt.verify<TokenClaims>(token);
    if (!resolvePublicKey || !isJwksAlgorithm(alg)) throw new Error(`tokens signed with ${alg} are not accepted`);
    const key = await resolvePublicKey({ alg, kid: header?.kid });
    return fastify.jwt.verify<TokenClaims>(token, { key, algorithms: [alg] });
  }

  fastify.decorateRequest('principal', undefined);
  fastify.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header === undefined) return;
    const [scheme, token, extra] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || extra !== undefined) {
      failures.set(request, 'The Authorization header must be "Bearer <token>"');
      return;
    }
    const known = verified.get(token, Date.now());
    if (known) {
      request.principal = known;
      return;
    }
    try {
      const claims = await verify(token);
      request.principal = principalOf(claims);
      verified.set(token, request.principal, (claims as { exp?: unknown }).exp, Date.now());
    } catch (error) {
      const expired = (error as { code?: string }).code === 'FAST_JWT_EXPIRED';
      failures.set(request, expired ? 'The token has expired' : 'The token is not valid');
      request.log.debug({ err: error }, 'bearer token rejected');
    }
  });

  const authenticate: onRequestAsyncHookHandler = async (request) => {
    if (!request.principal) throw unauthorized(failures.get(request));
  };
  fastify.decorate('authenticate', Object.assign(authenticate, { [NEEDS_BEARER_TOKEN]: true }));

  // Registered at the root before any route plugin, so it sees every route, child plugins' included. Guarded routes
  // and those outside /api that use authenticate/requireRole say so in the OpenAPI document, without repeating it.
  fastify.addHook('onRoute', (route) => {
    if (isGuardedByDefault(route)) {
      const own = [route.onRequest ?? []].flat().filter((hook) => hook !== fastify.authenticate);
      route.onRequest = [fastify.authenticate, ...own];
    }
    if (needsBearerToken(route)) documentBearerToken(route);
  });
}

function isGuardedByDefault(route: RouteOptions): boolean {
  return route.url.startsWith(GUARDED_PREFIX) && route.config?.public !== true;
}

function documentBearerToken(route: RouteOptions): void {
  const schema = route.schema ?? {};
  route.schema = {
    ...schema,
    security: [{ bearerAuth: [] }],
    response: { ...problemResponses(401), ...(schema.response as object | undefined) },
  };
}

function principalOf(claims: TokenClaims): Principal {
  if (typeof claims.sub !== 'string' || !ID_PATTERN.test(claims.sub)) throw new Error('the token has no usable sub');
  // Unknown roles are ignored rather than fatal, so a provider can add roles of its own.
  const roles = Array.isArray(claims.roles) ? claims.roles.filter(isRole) : [];
  // Frozen: cached principals are shared by every request that carries the same token.
  return Object.freeze({ userId: claims.sub, roles: Object.freeze([...new Set(roles)]) as Role[] });
}

function needsBearerToken(route: RouteOptions): boolean {
  const hooks = [route.onRequest, route.preValidation, route.preHandler].flat().filter(Boolean);
  return hooks.some((hook) => typeof hook === 'function' && NEEDS_BEARER_TOKEN in hook);
}

export default fp(auth, { name: 'auth', dependencies: ['errors'] });
