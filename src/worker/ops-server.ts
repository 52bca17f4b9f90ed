import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { register } from 'prom-client';

/** A dependency or worker check for /ready: resolves when healthy, rejects with the reason otherwise. */
export type ReadinessCheck = () => Promise<void>;

export interface OpsServerOptions {
  host: string;
  port: number;
  /** Named checks run in parallel by /ready (mongo, redis, temporal, the Temporal workers' state). */
  readiness: Record<string, ReadinessCheck>;
  /** Liveness: false once a Temporal worker has failed, so the orchestrator restarts the process. */
  alive: () => boolean;
  /** The SDK's own Prometheus exporter (loopback), appended to /metrics; absent in tests that run no Runtime. */
  sdkMetricsUrl?: string;
  logger: Logger;
}

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * The worker's operations endpoint (WORKER_HOST:WORKER_PORT): `/health` (liveness), `/ready` (every dependency
 * answers and the workers poll) and `/metrics` (prom-client's registry followed by the Temporal SDK's metrics, so one
 * scrape target covers the app and the SDK). Plain node:http: three GET routes need no framework.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'application/json'): void => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return reply(405, JSON.stringify({ status: 'method not allowed' }));
    if (path === '/health') {
      const alive = options.alive();
      return reply(alive ? 200 : 503, JSON.stringify({ status: alive ? 'ok' : 'failed' }));
    }
    if (path === '/ready') {
      void readiness(options.readiness).then(({ ready, checks }) =>
        reply(ready ? 200 : 503, JSON.stringify({ status: ready ? 'ready' : 'not ready', checks })),
      );
      return;
    }
    if (path === '/metrics') {
      void metricsText(options).then(
        (text) => reply(200, text, register.contentType),
        (error: unknown) => {
          options.logger.warn({ err: error }, 'metrics scrape failed');
          reply(500, String(error), 'text/plain');
        },
      );
      return;
    }
    reply(404, JSON.stringify({ status: 'not found', endpoints: ['/health', '/ready', '/metrics'] }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return { url: `http://${host}:${port}`, close: () => closeServer(server) };
}

async function readiness(
  checks: Record<string, ReadinessCheck>,
): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), CHECK_TIMEOUT_MS);
        return [name, 'up'] as const;
      } catch (error) {
        return [name, `down: ${error instanceof Error ? error.message : String(error)}`] as const;
      }
    }),
  );
  return { ready: results.every(([, status]) => status === 'up'), checks: Object.fromEntries(results) };
}

async function metricsText(options: OpsServerOptions): Promise<string> {
  const own = await register.metrics();
  if (!options.sdkMetricsUrl) return own;
  // The SDK's exporter may be briefly unavailable at start-up; the app's metrics are still worth serving.
  const sdk = await fetch(options.sdkMetricsUrl, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) }).then(
    (response) => (response.ok ? response.text() : ''),
    () => '',
  );
  return `${own}\n${sdk}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
