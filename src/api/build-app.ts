import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import app from './app.js';
import { serverOptions } from './server-options.js';

export type ApiInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/**
 * The API on a Fastify instance that is not listening yet: server.ts listens on it, tests call `inject()`.
 * The app is added without encapsulation, so plugins a test registers afterwards (test-only routes) get the same
 * error handler, auth and rate limits as the real routes. `overrides` replace server options (e.g. the logger).
 */
export function buildApp(config: Config, overrides: Partial<FastifyServerOptions> = {}): ApiInstance {
  const fastify = Fastify({ ...serverOptions(config), ...overrides }).withTypeProvider<TypeBoxTypeProvider>();
  void fastify.register(fp(app, { name: 'powerstream-api' }), { config });
  return fastify;
}
