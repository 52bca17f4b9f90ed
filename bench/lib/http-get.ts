import http from 'node:http';

/**
 * The latency benches' timed client: a GET over node:http with keep-alive, answering the status once the body has
 * arrived (and been dropped). fetch's own garbage (undici's WHATWG streams) put about a millisecond into every p99 on
 * the 2-core box: a bare Fastify + Redis route measured 2.3–3.1 ms p99 with this client, 2.9–5.0 ms with fetch and
 * 1.7–2.6 ms from a Python client.
 */
const agent = new http.Agent({ keepAlive: true });

export function httpGet(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      })
      .on('error', reject);
  });
}

/** Lets the process exit: keep-alive sockets would hold it open. */
export function closeHttpGet(): void {
  agent.destroy();
}
