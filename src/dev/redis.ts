import { Redis } from 'ioredis';
import type { HostPort } from './addresses.js';
import { startProcess, type ManagedProcess } from './process.js';
import { TOOL_PATHS } from './tools.js';

export interface RedisStartOptions {
  hostPort: HostPort;
  /** Working directory; nothing is written there since persistence is off. */
  dataDir: string;
  logFile: string;
}

/** Redis without persistence: everything the app keeps in Redis can be rebuilt (docs/decisions/0005-redis-derived-and-fails-open.md). */
export function startRedis({ hostPort, dataDir, logFile }: RedisStartOptions): ManagedProcess {
  const args = ['--port', String(hostPort.port), '--bind', hostPort.host, '--dir', dataDir];
  args.push('--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning');
  return startProcess({ name: 'redis', command: TOOL_PATHS.redisServer, args, logFile });
}

export async function pingRedis(url: string): Promise<void> {
  // No retries and no offline queue: a launcher check must fail fast, not wait for a reconnect.
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {}); // the same error rejects connect() or ping() below
  try {
    await redis.connect();
    const reply = await redis.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
  } finally {
    redis.disconnect();
  }
}
