import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Echoes the request id (the caller's `x-request-id` or a fresh one, see server-options.ts) on every response,
 * errors included, so a client can quote it and an operator can find the request's log lines.
 */
async function requestId(fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}

export default fp(requestId, { name: 'request-id' });
