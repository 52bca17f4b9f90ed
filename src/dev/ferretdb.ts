import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { formatHostPort, type HostPort } from './addresses.js';
import { startProcess, type ManagedProcess } from './process.js';
import { TOOL_PATHS } from './tools.js';

export interface FerretDbStartOptions {
  hostPort: HostPort;
  /** Holds one SQLite file per database plus FerretDB's own state file. */
  dataDir: string;
  logFile: string;
}

/** FerretDB on its SQLite backend: a MongoDB wire-compatible server with no other process behind it. */
export function startFerretDb({ hostPort, dataDir, logFile }: FerretDbStartOptions): ManagedProcess {
  const sqliteDir = join(dataDir, 'sqlite');
  const stateDir = join(dataDir, 'state');
  mkdirSync(sqliteDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const args = [
    '--handler=sqlite',
    // WAL with synchronous=NORMAL, as SQLite recommends for WAL: a commit no longer waits for an fsync (survives a
    // crash of FerretDB, may lose the last commits on power loss, never corrupts). Every single-document update is
    // its own transaction in FerretDB 1.x, so this is the difference between fsync-bound and CPU-bound writes.
    `--sqlite-url=file:${sqliteDir}/?_pragma=synchronous(normal)`,
    `--state-dir=${stateDir}`,
    `--listen-addr=${formatHostPort(hostPort)}`,
    // Its default debug address 127.0.0.1:8088 would clash between instances; we need none.
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=warn',
  ];
  return startProcess({ name: 'ferretdb', command: TOOL_PATHS.ferretdb, args, logFile });
}

export async function pingMongo(url: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}
