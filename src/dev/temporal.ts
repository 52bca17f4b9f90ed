import { Connection } from '@temporalio/client';
import { formatHostPort, type HostPort } from './addresses.js';
import { startProcess, type ManagedProcess } from './process.js';
import { TOOL_PATHS } from './tools.js';

export interface TemporalStartOptions {
  hostPort: HostPort;
  namespace: string;
  uiPort: number;
  /** SQLite file that keeps workflows across restarts; in memory when absent. */
  dbFile?: string;
  logFile: string;
}

export function startTemporal({ hostPort, namespace, uiPort, dbFile, logFile }: TemporalStartOptions): ManagedProcess {
  const args = ['server', 'start-dev', '--ip', hostPort.host, '--port', String(hostPort.port)];
  args.push('--ui-port', String(uiPort), '--namespace', namespace, '--log-level', 'warn');
  if (dbFile) args.push('--db-filename', dbFile);
  // Search attributes added at run time must be visible to the very next workflow start;
  // without this the frontend serves a cached list for a while (the SDK's own test server sets it too).
  args.push('--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=true');
  return startProcess({ name: 'temporal', command: TOOL_PATHS.temporal, args, logFile });
}

/** Opens a connection, runs `use`, always closes: these launcher calls are one-off. */
export async function withTemporalConnection<T>(
  address: string,
  use: (connection: Connection) => Promise<T>,
): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: '2s' });
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** Ready means the frontend answers and the namespace exists (it is created just after start). */
export async function pingTemporal(hostPort: HostPort, namespace: string): Promise<void> {
  await withTemporalConnection(formatHostPort(hostPort), async (connection) => {
    const deadline = new Date(Date.now() + 2000);
    await connection.withDeadline(deadline, () => connection.workflowService.getSystemInfo({}));
    await connection.withDeadline(deadline, () => connection.workflowService.describeNamespace({ namespace }));
  });
}
