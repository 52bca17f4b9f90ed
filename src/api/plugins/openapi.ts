import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

interface PackageInfo {
  name: string;
  version: string;
  description?: string;
}

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as PackageInfo;

/**
 * The OpenAPI 3.1 document, built from the routes' TypeBox schemas, at /openapi.json (for client generators) and
 * as Swagger UI at /docs. Registered before the routes: it collects them as they are added.
 */
async function openapi(fastify: FastifyInstance): Promise<void> {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'PowerStream Engine API', version: pkg.version, description: pkg.description },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'sub = user id, roles' },
        },
      },
      tags: [
        { name: 'operations', description: 'Health, readiness and metrics' },
        { name: 'dev', description: 'Development helpers, absent in production' },
      ],
    },
  });
  await fastify.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });

  fastify.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () => fastify.swagger());
}

export default fp(openapi, { name: 'openapi' });
