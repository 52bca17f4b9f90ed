import type { LightMyRequestResponse } from 'fastify';
import type { ApiInstance } from '../../../src/api/build-app.js';

export interface ReadyReply {
  status?: string;
  checks: Record<'temporal' | 'mongo' | 'redis', 'up' | 'down'>;
  detail?: string;
}

/**
 * Polls /ready until `accept` holds: dependencies connect (and reconnect) in the background, so the answer settles
 * within a few seconds rather than on the first call. Returns the accepted reply or fails with the last one.
 */
export async function readyWhen(
  app: ApiInstance,
  accept: (res: LightMyRequestResponse) => boolean,
  timeoutMs = 15_000,
): Promise<LightMyRequestResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: '/ready' });
    if (accept(res)) return res;
    if (Date.now() > deadline)
      throw new Error(`/ready did not settle within ${timeoutMs} ms; last: ${res.statusCode} ${res.body}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
