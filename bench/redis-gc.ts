/**
 * What ioredis pipelines cost the young generation on a request path. Every ioredis Pipeline object (and what it
 * holds: its commands, replies and promises) survives into the old generation, so the scavenges that follow copy it
 * and take longer; the same commands sent together without a pipeline die young. The same loop of a cached page's
 * first reads (bench/redis-gc-loop.ts) runs in child processes as one pipeline (`pipeline`, the baseline) and as
 * commands sent together (`commands`, what the request paths do), alternating, against a Redis of the bench's own.
 * From `--trace-gc-nvp` it prints per variant: scavenges, bytes promoted per scavenge, mean and max scavenge pause,
 * and requests/s; then the commands' figures as a ratio of the pipeline's.
 * `npm run bench -- redis-gc -- --requests 20000 --concurrency 1 --rounds 3`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../src/dev/ports.js';
import { REPO_ROOT } from '../src/dev/tools.js';
import { startOwnRedis } from '../test/api/support/own-redis.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '40000' },
    concurrency: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
  },
});
const requests = Number(values.requests);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
const VARIANTS = ['pipeline', 'commands'] as const;
type Variant = (typeof VARIANTS)[number];

interface Figures {
  scavenges: number;
  promotedPerScavenge: number;
  meanPauseMs: number;
  maxPauseMs: number;
  requestsPerSecond: number;
}

function field(line: string, name: string): number {
  const match = new RegExp(`\\b${name}=([0-9.]+)`).exec(line);
  return match ? Number(match[1]) : 0;
}

function runLoop(url: string, variant: Variant): Promise<Figures> {
  const child = spawn(
    process.execPath,
    [
      '--trace-gc-nvp',
      '--import',
      'tsx',
      join(REPO_ROOT, 'bench', 'redis-gc-loop.ts'),
      url,
      variant,
      `${requests}`,
      `${concurrency}`,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const lines = out.split('\n');
      const result = lines.find((line) => line.startsWith('result '));
      if (code !== 0 || !result) return reject(new Error(`${variant} loop exited ${code}`));
      const { startMs, endMs } = JSON.parse(result.slice('result '.length)) as { startMs: number; endMs: number };
      const timed = lines.filter((line) => {
        if (!line.includes(' gc=s ')) return false;
        const at = Number(/\s([0-9.]+) ms: /.exec(line)?.[1]);
        return at >= startMs && at <= endMs;
      });
      const pauses = timed.map((line) => field(line, 'pause'));
      resolve({
        scavenges: timed.length,
        promotedPerScavenge: timed.reduce((sum, line) => sum + field(line, 'promoted'), 0) / timed.length,
        meanPauseMs: pauses.reduce((a, b) => a + b, 0) / pauses.length,
        maxPauseMs: Math.max(...pauses),
        requestsPerSecond: requests / ((endMs - startMs) / 1000),
      });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'ps-bench-redis-gc-'));
const hostPort = { host: '127.0.0.1', port: await freePort() };
const redis = await startOwnRedis(hostPort, dir);
const url = `redis://${hostPort.host}:${hostPort.port}`;
try {
  const figures: Record<Variant, Figures[]> = { pipeline: [], commands: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const variant of VARIANTS) figures[variant].push(await runLoop(url, variant));
  }
  const mean = (variant: Variant, key: keyof Figures) =>
    figures[variant].reduce((sum, f) => sum + f[key], 0) / figures[variant].length;
  console.log(`${requests} requests (an EXISTS and four reads), ${concurrency} at a time, ${rounds} rounds each`);
  const rows: [string, keyof Figures, (n: number) => string][] = [
    ['scavenges', 'scavenges', (n) => n.toFixed(0)],
    ['promoted per scavenge', 'promotedPerScavenge', (n) => `${(n / 1024).toFixed(0)} KB`],
    ['mean scavenge pause', 'meanPauseMs', (n) => `${n.toFixed(2)} ms`],
    ['max scavenge pause', 'maxPauseMs', (n) => `${n.toFixed(2)} ms`],
    ['requests/s', 'requestsPerSecond', (n) => n.toFixed(0)],
  ];
  for (const [label, key, format] of rows) {
    const each = (variant: Variant) => figures[variant].map((f) => format(f[key])).join(' / ');
    const ratio = mean('commands', key) / mean('pipeline', key);
    console.log(
      `${label.padEnd(22)} pipeline ${each('pipeline')}   commands ${each('commands')}   ratio ${ratio.toFixed(2)}×`,
    );
  }
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
