import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../src/dev/tools.js';

const run = promisify(execFile);

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/**
 * One timed autocannon round, in a child process so the load generator does not share the server's event loop.
 * Timed, not counted: with a request count autocannon stops on its 1 s sample tick, which quantises req/s.
 */
export async function load(
  url: string,
  { seconds, connections, headers = {} }: { seconds: number; connections: number; headers?: Record<string, string> },
): Promise<Load> {
  const args = ['-j', '-c', String(connections), '-d', String(seconds), ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url]; // prettier-ignore
  const { stdout } = await run(join(REPO_ROOT, 'node_modules', '.bin', 'autocannon'), args, { maxBuffer: 1 << 24 });
  const out = JSON.parse(stdout) as { latency: { p50: number; p99: number }; non2xx: number; duration: number; '2xx': number }; // prettier-ignore
  return {
    rps: (out['2xx'] + out.non2xx) / out.duration,
    p50: out.latency.p50,
    p99: out.latency.p99,
    non2xx: out.non2xx,
  };
}
