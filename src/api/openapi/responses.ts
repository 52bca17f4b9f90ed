type Json = Record<string, unknown>;

/** What the document needs to know about a route beyond its schema, collected when the route is transformed. */
export interface RouteTraits {
  rateLimited: boolean;
  hasBody: boolean;
  hasInput: boolean;
  hasCursor: boolean;
}

const header = (description: string, schema: Json = { type: 'string' }) => ({ description, schema });

/** Response headers, as `components.headers`, referenced from every response that carries them. */
export const HEADERS: Record<string, Json> = {
  RequestId: header(
    "The request's id: the caller's own x-request-id when it is 1–128 of [A-Za-z0-9._:-], else a fresh UUID. Quote it when reporting a problem.",
  ),
  RateLimitLimit: header("Requests allowed per window for this caller (the user, or the client's IP when anonymous)", {
    type: 'integer',
  }),
  RateLimitRemaining: header('Requests left in the current window', { type: 'integer' }),
  RateLimitReset: header('Seconds until the window resets', { type: 'integer' }),
  RetryAfter: header('Seconds to wait before retrying', { type: 'integer', minimum: 1 }),
  Location: header('URL of the created resource (201) or of the resource under its canonical id (307)'),
  Allow: header('The methods this path answers (405)'),
};

const headerRef = (name: string) => ({ $ref: `#/components/headers/${name}` });

const PROBLEM_TITLES: Record<string, string> = {
  '400': 'Bad Request: a parameter, header or body member fails the schema (errors[] names each)',
  '405': 'Method Not Allowed',
  '422':
    'Unprocessable Content: the body fails the schema, or a cursor was not issued by this list (errors[] names each)',
  '413': 'Payload Too Large: the body is over the configured limit',
  '415': 'Unsupported Media Type: send the body as application/json',
  '429': 'Too Many Requests: wait Retry-After seconds',
  '500': 'Internal Server Error: a bug; quote x-request-id',
  '503': 'Service Unavailable: a dependency is down or the server is shutting down; retry later',
};

const problemResponse = (status: string) => ({
  description: PROBLEM_TITLES[status],
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
});

/**
 * Adds what every route can answer whatever its own schema says: 400 when it takes input (schema validation),
 * 413/415 when it takes a body, 429 when rate-limited, 500 and 503 always (a bug; a dependency down or shutdown).
 * Then documents the headers each response carries.
 */
export function completeResponses(operation: Json, traits: RouteTraits): void {
  const responses = operation.responses as Record<string, Json>;
  const add = (status: string) => (responses[status] ??= problemResponse(status));
  if (traits.hasInput) add('400');
  if (traits.hasBody || traits.hasCursor) add('422');
  if (traits.hasBody) {
    add('413');
    add('415');
  }
  if (traits.rateLimited) add('429');
  add('500');
  add('503');

  for (const [status, response] of Object.entries(responses)) {
    const headers = ((response.headers as Json | undefined) ?? {}) as Json;
    headers['x-request-id'] = headerRef('RequestId');
    if (traits.rateLimited) {
      headers['x-ratelimit-limit'] = headerRef('RateLimitLimit');
      headers['x-ratelimit-remaining'] = headerRef('RateLimitRemaining');
      headers['x-ratelimit-reset'] = headerRef('RateLimitReset');
    }
    if (status === '429') headers['retry-after'] = headerRef('RetryAfter');
    if (status === '201' || status === '307') headers.location = headerRef('Location');
    if (status === '405') headers.allow = headerRef('Allow');
    response.headers = headers;
  }
}

/**
 * A member with a `default` is filled in by validation (ajv useDefaults) when omitted, so for clients it is
 * optional: the document must not list it as required, or a client would be told to send what it may leave out.
 */
export function relaxDefaulted(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(relaxDefaulted);
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  const properties = schema.properties as Record<string, Json> | undefined;
  if (properties && Array.isArray(schema.required)) {
    schema.required = (schema.required as string[]).filter((name) => properties[name]?.default === undefined);
    if ((schema.required as string[]).length === 0) delete schema.required;
  }
  if (schema.in && schema.required === true && (schema.schema as Json | undefined)?.default !== undefined)
    schema.required = false;
  Object.values(schema).forEach(relaxDefaulted);
}
