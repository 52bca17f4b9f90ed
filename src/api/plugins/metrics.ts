import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Histogram, register } from 'prom-client';
import Type from 'typebox';

// prom-client's default registry is process-wide (the Temporal helpers add temporal_signals_total to it), so the
// metrics are created once per process even when several apps are built, as the tests do.
let defaultMetricsStarted = false;

const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
});

const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

/** Requests no route matched share one label, so scanners cannot blow up the label cardinality. */
const UNMATCHED_ROUTE = '(unmatched)';

async function metrics(fastify: FastifyInstance): Promise<void> {
  if (!defaultMetricsStarted) {
    collectDefaultMetrics();
    defaultMetricsStarted = true;
  }

  fastify.addHook('onResponse', async (request, reply) => {
    // The route pattern (/users/:id), never the raw url, which would make one series per id.
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    httpRequests.inc(labels);
    httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  fastify.get(
    '/metrics',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Prometheus metrics',
        tags: ['operations'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format' }) },
      },
    },
    async (_request, reply) => {
      reply.type(register.contentType);
      return register.metrics();
    },
  );
}

export default fp(metrics, { name: 'metrics' });
