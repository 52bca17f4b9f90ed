import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { runInRequestContext } from '../../temporal/request-context.js';

/**
 * Echoes the request id (the caller's `x-request-id` or a fresh one, see server-options.ts) on every response,
 * errors included, so a client can quote it and an operator can find the request's log lines. The handler runs
 * inside a request context holding the id, which the Temporal client carries into the workflows it starts or signals.
 */
async function requestId(fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // preHandler, not onRequest: a body is parsed from stream events, outside a context entered before it.
  fastify.addHook('preHandler', (request, _reply, done) => runInRequestContext({ requestId: request.id }, done));
}

export default fp(requestId, { name: 'request-id' });
