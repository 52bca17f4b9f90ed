import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifySchemaValidationError } from 'fastify';
import { Refusal } from '../domain/refusal.js';
import { isDependencyUnavailable } from './dependency-errors.js';
import {
  badRequest,
  conflict,
  forbidden,
  notFound,
  ProblemError,
  tooManyRequests,
  unprocessable,
  type FieldError,
} from './problems.js';

/**
 * Maps anything a request can fail with to a ProblemError. Framework and plugin errors get the status they carry;
 * a 5xx never carries the error's own message (it may name internals), which the error handler logs instead.
 */
export function problemFromError(error: unknown, bodyLimit: number | undefined): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof Refusal) return problemOfRefusal(error);
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) return validationProblem(fastifyError.validation, fastifyError.validationContext);

  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ProblemError(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ProblemError(
        400,
        'malformed-json',
        'Malformed JSON',
        'The content-type is JSON but the body is empty',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = bodyLimit === undefined ? 'the limit' : `the limit of ${bodyLimit} bytes`;
      return new ProblemError(413, 'payload-too-large', 'Payload Too Large', `The request body exceeds ${limit}`);
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ProblemError(
        415,
        'unsupported-media-type',
        'Unsupported Media Type',
        'This content-type is not accepted; send the body as JSON with Content-Type: application/json',
      );
  }

  if (isDependencyUnavailable(error)) {
    return new ProblemError(
      503,
      'service-unavailable',
      'Service Unavailable',
      'A backing service is unavailable; retry later',
    );
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Framework and plugin 4xx messages are written for clients (e.g. "Invalid Content-Length").
    const title = STATUS_CODES[status] ?? 'Client Error';
    return new ProblemError(status, slugOf(title), title, fastifyError.message || title);
  }
  return new ProblemError(
    500,
    'internal-error',
    'Internal Server Error',
    'An unexpected error occurred; quote the x-request-id response header when reporting it',
  );
}

/** A rule shared with Brain Mode refused the request: the same problem a route would have thrown itself. */
function problemOfRefusal(refusal: Refusal): ProblemError {
  switch (refusal.code) {
    case 'bad_request':
      return badRequest(refusal.message, refusal.fields);
    case 'forbidden':
      return forbidden(refusal.message);
    case 'not_found':
      return notFound(refusal.message);
    case 'conflict':
      return conflict(refusal.message);
    case 'unprocessable':
      return unprocessable(refusal.message, refusal.fields);
    case 'rate_limited':
      return tooManyRequests(refusal.message, (refusal.retryAfterMs ?? 1000) / 1000);
  }
}

/** Body violations are 422 (well-formed but wrong), the other request parts 400 (the request itself is wrong). */
function validationProblem(validation: FastifySchemaValidationError[], context: string | undefined): ProblemError {
  const errors = fieldErrors(validation);
  const part = context === 'body' ? 'request body' : (context ?? 'request');
  const detail = `The ${part} does not match the schema: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`;
  if (context === 'body')
    return new ProblemError(422, 'validation-failed', 'Unprocessable Content', detail, { errors });
  return new ProblemError(400, 'invalid-request', 'Bad Request', detail, { errors });
}

/**
 * One entry per failing field. Ajv reports a failed union (anyOf/oneOf) as one error per branch plus the union's own
 * "must match a schema in anyOf"; those become a single entry naming what the field may be, e.g.
 * `must be one of "approve", "reject"`.
 */
function fieldErrors(validation: FastifySchemaValidationError[]): FieldError[] {
  const unions = validation.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const branchOf = (e: FastifySchemaValidationError) =>
    unions.find((u) => u !== e && e.instancePath === u.instancePath && e.schemaPath.startsWith(`${u.schemaPath}/`));
  const out: FieldError[] = [];
  for (const error of validation) {
    if (branchOf(error)) continue;
    const branches = unions.includes(error) ? validation.filter((e) => branchOf(e) === error) : [];
    const field = branches.length > 0 ? unionError(error, branches) : fieldError(error);
    if (!out.some((e) => e.path === field.path && e.message === field.message)) out.push(field);
  }
  return out;
}

function unionError(union: FastifySchemaValidationError, branches: FastifySchemaValidationError[]): FieldError {
  const values = branches.flatMap((b) => allowedValues(b) ?? []);
  const others = branches.filter((b) => !allowedValues(b)).map((b) => b.message ?? 'is not valid');
  const alternatives = [...(values.length > 0 ? [`one of ${values.join(', ')}`] : []), ...others];
  const message = alternatives.map((a) => a.replace(/^must be /, '')).join(' or ');
  return { path: union.instancePath, message: `must be ${message}` };
}

/** The values a `const` or `enum` branch allows, JSON-quoted; undefined for any other keyword. */
function allowedValues({ keyword, params }: FastifySchemaValidationError): string[] | undefined {
  if (keyword === 'const') return [JSON.stringify(params.allowedValue)];
  if (keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return params.allowedValues.map((v) => JSON.stringify(v));
  }
  return undefined;
}

function fieldError(error: FastifySchemaValidationError): FieldError {
  const { instancePath, params, message } = error;
  // Ajv reports a missing or unexpected property at its parent; name the property itself.
  const property = params.missingProperty ?? params.additionalProperty;
  if (typeof property === 'string') {
    return { path: `${instancePath}/${property}`, message: params.missingProperty ? 'is required' : 'is not allowed' };
  }
  const values = allowedValues(error);
  if (values)
    return {
      path: instancePath,
      message: `must be ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`}`,
    };
  return { path: instancePath, message: message ?? 'is not valid' };
}

function slugOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
