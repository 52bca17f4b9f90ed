import Type, { type Static, type TSchema, type TUnsafe } from 'typebox';
import { ROLES } from '../principal.js';

/** Shared primitives every route schema is built from (docs/api-behaviour.md, "Conventions"). */

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });

export const RoleName = Type.Union(
  ROLES.map((role) => Type.Literal(role)),
  { description: 'user, creator, operator or service (trusted producers)' },
);

export const IsoDateTime = Type.String({ format: 'date-time', description: 'ISO-8601 date-time, UTC' });

export const Cursor = Type.String({
  minLength: 1,
  maxLength: 512,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Opaque position returned as nextCursor by the previous page',
});

export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });

/** Creating POSTs other than events take a client `Idempotency-Key` (docs/api-behaviour.md); use as the route's `headers`. */
export const IdempotencyKeyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' })),
});

/** `?limit&cursor` for every list route; with more filters: `Type.Object({ ...PageQuery.properties, topic })`. */
export const PageQuery = Type.Object({ limit: Limit, cursor: Type.Optional(Cursor) });
export type PageQuery = Static<typeof PageQuery>;

/** Lists answer `{ items, nextCursor }`; nextCursor is null on the last page. */
export function ListOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Cursor, Type.Null()]) });
}

export const FieldError = Type.Object({
  path: Type.String({ description: 'JSON pointer to the failing field, e.g. /events/0/type' }),
  message: Type.String(),
});

/** RFC 9457 problem details; extra members (e.g. `checks` on /ready) are allowed. */
export const ProblemDetails = Type.Object(
  {
    type: Type.String({ format: 'uri' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    instance: Type.String(),
    errors: Type.Optional(Type.Array(FieldError)),
  },
  { additionalProperties: true },
);
export type ProblemDetails = Static<typeof ProblemDetails>;

const problemTitles = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;
export type ProblemStatus = keyof typeof problemTitles;

type ProblemResponse = TUnsafe<never>;

/**
 * Response entries for the error statuses a route can answer, for the OpenAPI document. Typed `never` because
 * routes throw problems (src/api/problems.ts) rather than send them, so they do not widen a route's reply type;
 * the error handler sends problems pre-serialised, so these never strip members from a real reply either.
 */
export function problemResponses(...statuses: ProblemStatus[]): Record<ProblemStatus, ProblemResponse> {
  const entries = statuses.map((status) => [
    status,
    Type.Unsafe<never>({
      description: problemTitles[status],
      content: { 'application/problem+json': { schema: ProblemDetails } },
    }),
  ]);
  return Object.fromEntries(entries) as Record<ProblemStatus, ProblemResponse>;
}

export { decodeCursor, encodeCursor } from './cursor.js';
