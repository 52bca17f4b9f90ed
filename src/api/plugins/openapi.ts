import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { factorComponents, namedSchemas } from '../openapi/components.js';
import { describeDocument } from '../openapi/descriptions.js';
import { addExamples } from '../openapi/examples.js';
import { operationIdFor } from '../openapi/operation-id.js';
import { completeResponses, HEADERS, relaxDefaulted, type RouteTraits } from '../openapi/responses.js';
import { documentedEventBatch } from '../schemas/events.js';

interface PackageInfo {
  name: string;
  version: string;
  description?: string;
}

type Json = Record<string, unknown>;

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as PackageInfo;

/** Routes whose success body is not JSON: the document says what they really send. */
const PRODUCES: Record<string, string[]> = {
  getMetrics: ['text/plain'],
};

/** Routes whose documented body differs from the one they validate with (see the schema's comment). */
const DOCUMENTED_BODIES: Record<string, object> = {
  postEvents: documentedEventBatch,
};

/**
 * The OpenAPI 3.1 document, built from the routes' TypeBox schemas, at /openapi.json (for client generators) and
 * as Swagger UI at /docs. Registered before the routes: it collects them as they are added. What every route
 * shares is added here rather than in each route: its operationId (openapi/operation-id.ts), the statuses any
 * route can answer and the headers on each response (openapi/responses.ts), named components referenced with
 * `$ref` (openapi/components.ts), descriptions (openapi/descriptions.ts) and examples (openapi/examples.ts).
 */
async function openapi(fastify: FastifyInstance): Promise<void> {
  const traits = new Map<string, RouteTraits>();
  const named = namedSchemas();

  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'PowerStream Engine API', version: pkg.version, description: pkg.description },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'sub = user id, roles' },
        },
        headers: HEADERS,
      },
      tags: [
        { name: 'operations', description: 'Health, readiness and metrics' },
        { name: 'dev', description: 'Development helpers, absent in production' },
      ],
    },
    // OpenAPI 3.1 is JSON Schema: keep `const` (generators read it as a literal type).
    convertConstToEnum: false,
    transform: ({ schema, url, route }) => {
      const method = Array.isArray(route.method) ? route.method[0]! : route.method;
      const operationId = (schema?.operationId as string | undefined) ?? operationIdFor(method, url);
      const own = (schema ?? {}) as Json;
      traits.set(operationId, {
        rateLimited: (route.config as Json | undefined)?.rateLimit !== false,
        hasBody: own.body !== undefined,
        hasInput: ['body', 'querystring', 'params', 'headers'].some((part) => own[part] !== undefined),
        hasCursor: Boolean((own.querystring as { properties?: Json } | undefined)?.properties?.cursor),
      });
      const transformed: Json = { ...own, operationId };
      if (url.startsWith('/api/') && !url.startsWith('/api/v1')) transformed.deprecated = true;
      if (PRODUCES[operationId]) transformed.produces = PRODUCES[operationId];
      if (DOCUMENTED_BODIES[operationId]) transformed.body = DOCUMENTED_BODIES[operationId];
      return { schema: transformed as typeof schema, url };
    },
    transformObject: (documentObject) => {
      const doc = structuredClone('openapiObject' in documentObject ? documentObject.openapiObject : {}) as Json;
      for (const operation of operations(doc)) {
        const id = operation.operationId as string;
        completeResponses(
          operation,
          traits.get(id) ?? { rateLimited: true, hasBody: false, hasInput: false, hasCursor: false },
        );
      }
      factorComponents(doc, named);
      relaxDefaulted(doc);
      describeDocument(doc);
      addExamples(doc);
      return doc;
    },
  });
  await fastify.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });

  fastify.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () => fastify.swagger());
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

function operations(doc: Json): Json[] {
  return Object.values(doc.paths as Record<string, Json>).flatMap((item) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([, operation]) => operation as Json),
  );
}

export default fp(openapi, { name: 'openapi' });
