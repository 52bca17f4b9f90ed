/**
 * Expected errors, raised by routes and plugins with the named helpers below (`throw notFound('...')`) and turned
 * into RFC 9457 `application/problem+json` by the one error handler (plugins/errors.ts).
 */
export const PROBLEM_TYPE_BASE = 'https://powerstream.dev/problems/';

export interface FieldError {
  /** JSON pointer into the request part that failed, e.g. `/events/0/type`. */
  path: string;
  message: string;
}

export interface ProblemOptions {
  errors?: FieldError[];
  /** Extension members added to the body (RFC 9457 §3.2), e.g. `checks` on /ready. */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class ProblemError extends Error {
  /** Read by Fastify and by plugins that inspect errors; always equal to `status`. */
  readonly statusCode: number;

  constructor(
    readonly status: number,
    /** Stable last segment of the problem `type` URI; clients may switch on it. */
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly options: ProblemOptions = {},
  ) {
    super(detail);
    this.name = 'ProblemError';
    this.statusCode = status;
  }

  get detail(): string {
    return this.message;
  }

  get type(): string {
    return PROBLEM_TYPE_BASE + this.slug;
  }
}

export function badRequest(detail: string, errors?: FieldError[]): ProblemError {
  return new ProblemError(400, 'bad-request', 'Bad Request', detail, { errors });
}

export function unauthorized(detail = 'A valid bearer token is required'): ProblemError {
  // RFC 6750 §3: a 401 names the scheme the client should use.
  return new ProblemError(401, 'unauthorized', 'Unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } });
}

export function forbidden(detail: string): ProblemError {
  return new ProblemError(403, 'forbidden', 'Forbidden', detail);
}

export function notFound(detail: string): ProblemError {
  return new ProblemError(404, 'not-found', 'Not Found', detail);
}

export function methodNotAllowed(method: string, allow: string[]): ProblemError {
  return new ProblemError(405, 'method-not-allowed', 'Method Not Allowed', `This path does not answer ${method}`, {
    headers: { allow: allow.join(', ') },
  });
}

export function conflict(detail: string, extensions?: Record<string, unknown>): ProblemError {
  return new ProblemError(409, 'conflict', 'Conflict', detail, { extensions });
}

export function unprocessable(detail: string, errors?: FieldError[]): ProblemError {
  return new ProblemError(422, 'validation-failed', 'Unprocessable Content', detail, { errors });
}

export function tooManyRequests(detail: string, retryAfterSeconds: number): ProblemError {
  return new ProblemError(429, 'rate-limited', 'Too Many Requests', detail, {
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
}

/** For a dependency that is down; `detail` is shown to the client, so write it for them (no driver messages). */
export function serviceUnavailable(detail: string, extensions?: Record<string, unknown>): ProblemError {
  return new ProblemError(503, 'service-unavailable', 'Service Unavailable', detail, { extensions });
}
