import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problemFromError } from '../problem-from-error.js';
import { trackAllowedMethods } from '../allowed-methods.js';
import { methodNotAllowed, notFound, type ProblemError } from '../problems.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** The one error handler: every failure leaves as RFC 9457 problem+json, and 5xx causes only reach the log. */
async function errors(fastify: FastifyInstance): Promise<void> {
  fastify.setErrorHandler((error, request, reply) => {
    const problem = problemFromError(error, request.routeOptions.bodyLimit);
    // Only surprises get a stack in the log; an expected problem (raised with a helper) is one line.
    if (problem.status >= 500 && problem !== error) request.log.error({ err: error }, 'request failed');
    else if (problem.status >= 500)
      request.log.warn({ problem: problem.slug, detail: problem.detail }, 'request failed');
    else request.log.info({ problem: problem.slug, detail: problem.detail }, 'request rejected');
    return sendProblem(request, reply, problem);
  });

  // A known path asked with a method it does not answer is a 405 naming the ones it does (RFC 9110 §15.5.6),
  // decided at onRequest, before a body the path would never read is parsed.
  const allowedMethods = trackAllowedMethods(fastify);
  fastify.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0]!;
    if (request.is404) {
      const allow = allowedMethods.of(path);
      if (allow.length > 0) throw methodNotAllowed(request.method, allow);
      return;
    }
    const parametric = request.routeOptions.url?.includes(':') ?? false;
    const staticAllow = parametric ? allowedMethods.ofStaticPath(path) : undefined;
    if (staticAllow && !staticAllow.includes(request.method)) throw methodNotAllowed(request.method, staticAllow);
  });
  fastify.setNotFoundHandler((request) => {
    throw notFound(`No route matches ${request.method} ${request.url.split('?')[0]}`);
  });
}

function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemError): FastifyReply {
  const { errors, extensions, headers } = problem.options;
  const body = {
    ...extensions,
    type: problem.type,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: request.url,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
  if (headers) reply.headers(headers);
  // Sent as a string so a route's response schema can neither reject nor strip members of the problem.
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

export default fp(errors, { name: 'errors' });
