import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { serviceUnavailable } from '../../problems.js';
import { problemResponses } from '../../schemas/common.js';
import { Health, Ready } from '../../schemas/health.js';
import { checkDependencies } from './readiness.js';

/** Probes for orchestrators: never rate limited, never authenticated. */
const health: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/health',
    {
      config: { rateLimit: false },
      schema: { summary: 'Liveness: the process is up', tags: ['operations'], response: { 200: Health } },
    },
    async () => ({ status: 'ok' as const }),
  );

  fastify.get(
    '/ready',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Readiness: Temporal, MongoDB and Redis all answer',
        description: 'A 503 problem names the dependencies that are down and carries every check in `checks`.',
        tags: ['operations'],
        response: { 200: Ready, ...problemResponses(503) },
      },
    },
    async () => {
      const { checks, store } = await checkDependencies(fastify);
      const down = Object.entries(checks)
        .filter(([, status]) => status === 'down')
        .map(([name]) => name);
      if (down.length > 0) throw serviceUnavailable(`Not ready; down: ${down.join(', ')}`, { checks });
      return { status: 'ready' as const, checks, ...(store ? { store } : {}) };
    },
  );
};

export default health;
