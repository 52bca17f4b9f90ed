import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AjvCompiler } from '@fastify/ajv-compiler';
import { LogController, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';
import { TEXT_FORMATS } from './schemas/text.js';
import { parseTrustProxy } from './deployment-settings.js';

/** Shared by ajv for every request part; only type coercion differs (see `buildValidator`). */
const AJV_OPTIONS = {
  // One error per request: with allErrors a crafted body can make validation itself expensive.
  allErrors: false,
  // Unknown members are kept (and rejected where a schema says additionalProperties: false), never dropped silently.
  removeAdditional: false,
  useDefaults: true,
  formats: TEXT_FORMATS,
} as const;

/**
 * Query strings, params and headers arrive as text, so "20" must validate as the integer 20 there; a JSON body
 * already has types, and coercing it would accept `"5"` for a number. Hence two ajv instances, picked per part.
 */
function buildValidator(externalSchemas: Parameters<ReturnType<typeof AjvCompiler>>[0]) {
  const fromPool = AjvCompiler();
  const coercing = fromPool(externalSchemas, { customOptions: { ...AJV_OPTIONS, coerceTypes: 'array' } });
  const strict = fromPool(externalSchemas, { customOptions: { ...AJV_OPTIONS, coerceTypes: false } });
  return (route: Parameters<typeof strict>[0]) => (route.httpPart === 'body' ? strict(route) : coercing(route));
}

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Honours a caller's `x-request-id` so one id follows a request through proxies and services; anything that could
 * forge log lines or bloat them gets a fresh id instead.
 */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && CLIENT_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Fastify options for the API, used by src/api/server.ts and by the tests (through buildApp). */
export function serverOptions(config: Config): FastifyServerOptions {
  const pretty = config.NODE_ENV === 'development' && process.stdout.isTTY;
  return {
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
    },
    genReqId: requestIdFor,
    // request.ip (rate-limit key, logs) is the client's address as the trusted proxies report it.
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Fastify answers a longer path parameter with a bare 414; up to this length the route's schema judges it and
    // answers problem+json 400 naming the parameter.
    routerOptions: { maxParamLength: 2_048 },
    // A slow client cannot hold a connection open forever when no proxy stands in front of the API.
    requestTimeout: 30_000,
    return503OnClosing: true,
    schemaController: { compilersFactory: { buildValidator } },
  };
}
