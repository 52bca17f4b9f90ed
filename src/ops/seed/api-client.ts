import { setTimeout as sleep } from 'node:timers/promises';
import { createPowerstreamClient, type PowerstreamClient } from '../../../clients/typescript/src/index.js';
import type { Role } from '../../api/principal.js';
import type { TokenSigner } from '../../api/token-signer.js';

/**
 * The seeder's way into the platform: the generated typed client, one per user with that user's token, so the API
 * applies its rules (ownership, roles, event trust) to the seed as to any app.
 */
export interface SeedApi {
  baseUrl: string;
  /** A client acting as `userId` with `roles`. */
  as(userId: string, roles?: Role[]): PowerstreamClient;
  token(userId: string, roles?: Role[]): string;
}

/** Rate limits are per caller; a seeding burst may meet one, and waiting it out beats failing the run. */
const MAX_RATE_LIMIT_WAITS = 5;

async function patientFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(request.clone());
    if (response.status !== 429 || attempt >= MAX_RATE_LIMIT_WAITS) return response;
    const seconds = Number(response.headers.get('retry-after') ?? '1');
    await sleep(Math.min(60, Math.max(1, Number.isFinite(seconds) ? seconds : 1)) * 1000);
  }
}

export function seedApi(baseUrl: string, signer: TokenSigner): SeedApi {
  const tokens = new Map<string, string>();
  const clients = new Map<string, PowerstreamClient>();
  const token = (userId: string, roles: Role[] = ['user']) => {
    const key = `${userId} ${roles.join(',')}`;
    if (!tokens.has(key)) tokens.set(key, signer.sign(userId, roles));
    return tokens.get(key)!;
  };
  return {
    baseUrl,
    token,
    as(userId, roles = ['user']) {
      const key = `${userId} ${roles.join(',')}`;
      if (!clients.has(key)) {
        clients.set(key, createPowerstreamClient({ baseUrl, token: token(userId, roles), fetch: patientFetch }));
      }
      return clients.get(key)!;
    },
  };
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** A seeding step that cannot go on: says which call failed and the API's reason. */
export class SeedError extends Error {}

/** The body of an answer with one of `statuses`; otherwise a SeedError naming `what` and the problem returned. */
export function expectStatus<T>(answer: Answer<T>, what: string, ...statuses: number[]): T {
  const { status } = answer.response;
  if (statuses.includes(status) && answer.data !== undefined) return answer.data;
  const problem = answer.error as { title?: string; detail?: string } | undefined;
  const reason = problem?.detail ?? problem?.title ?? JSON.stringify(answer.error);
  const hint =
    status === 401
      ? ' (the API refused the seeder\u2019s token: run the seeder with the API\u2019s JWT_SECRET and JWT_ISSUER)'
      : '';
  throw new SeedError(`${what}: ${status} ${reason}${hint}`);
}
