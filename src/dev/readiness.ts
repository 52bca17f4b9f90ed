import { setTimeout as sleep } from 'node:timers/promises';
import { formatHostPort, type HostPort } from './addresses.js';
import { acceptsConnections } from './ports.js';
import { tailOfLog, type ManagedProcess } from './process.js';

export interface ReadinessCheck {
  service: string;
  hostPort: HostPort;
  process: ManagedProcess;
  /** A real round trip with the service's own protocol; throws while it is not ready. */
  ping: () => Promise<void>;
  timeoutMs: number;
}

/** Polls until the freshly started service answers, failing fast if its process dies. */
export async function waitUntilReady({ service, hostPort, process, ping, timeoutMs }: ReadinessCheck): Promise<void> {
  const address = formatHostPort(hostPort);
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no TCP connection yet';
  while (Date.now() < deadline) {
    if (process.hasExited()) {
      const code = await process.exited;
      throw new Error(`${service} exited (${code}) before answering at ${address}.${logHint(process)}`);
    }
    if (await acceptsConnections(hostPort, 500)) {
      try {
        await ping();
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
    await sleep(200);
  }
  const seconds = Math.round(timeoutMs / 1000);
  throw new Error(`${service} did not answer at ${address} within ${seconds}s (${lastError}).${logHint(process)}`);
}

function logHint({ logFile }: ManagedProcess): string {
  return ` See its log ${logFile}; last lines:\n${tailOfLog(logFile)}`;
}
