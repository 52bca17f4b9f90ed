import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };
/** A resource or body by its component name: `Schema<'Station'>`, `Schema<'ProblemDetails'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
export type PowerstreamClient = Client<paths>;

export interface ClientOptions {
  /** Where the API is, e.g. `https://api.example.com` (no trailing `/api/v1`: paths carry it). */
  baseUrl: string;
  /** The user's bearer token, or a function returning the current one (refreshed tokens). */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /** A fetch of your own (tests, React Native polyfills); defaults to the global one. */
  fetch?: typeof globalThis.fetch;
}

/**
 * A typed client for the PowerStream API: every path, parameter, body and response is checked by TypeScript
 * against the API's OpenAPI document (src/schema.ts, generated). Errors come back as `{ error }` holding the
 * RFC 9457 problem, not as exceptions.
 */
export function createPowerstreamClient({ baseUrl, token, fetch }: ClientOptions): PowerstreamClient {
  const client = createClient<paths>({ baseUrl, ...(fetch ? { fetch } : {}) });
  if (token !== undefined) {
    const auth: Middleware = {
      async onRequest({ request }) {
        const value = typeof token === 'function' ? await token() : token;
        if (value) request.headers.set('authorization', `Bearer ${value}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}
