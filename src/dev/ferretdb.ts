import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { formatHostPort, type HostPort } from './addresses.js';
import { ferretDbPostgresUrl, startPostgres } from './postgres.js';
import { startProcess, type ManagedProcess } from './process.js';
import { TOOL_PATHS } from './tools.js';

/** Which storage FerretDB translates the MongoDB wire protocol onto. */
export type FerretDbBackend =
  | { kind: 'postgresql'; url: string }
  /** One SQLite file per database: no server behind it, kept for bench/store.ts's side-by-side figures. */
  | { kind: 'sqlite'; dir: string };

export interface FerretDbStartOptions {
  hostPort: HostPort;
  backend: FerretDbBackend;
  /** FerretDB's own state file (its instance id). */
  stateDir: string;
  logFile: string;
}

export function startFerretDb({ hostPort, backend, stateDir, logFile }: FerretDbStartOptions): ManagedProcess {
  mkdirSync(stateDir, { recursive: true });
  const backendArgs =
    backend.kind === 'postgresql'
      ? ['--handler=postgresql', `--postgresql-url=${backend.url}`]
      : (mkdirSync(backend.dir, { recursive: true }), ['--handler=sqlite', `--sqlite-url=file:${backend.dir}/`]);
  const args = [
    ...backendArgs,
    `--state-dir=${stateDir}`,
    `--listen-addr=${formatHostPort(hostPort)}`,
    // Its default debug address 127.0.0.1:8088 would clash between instances; we need none.
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=warn',
  ];
  return startProcess({ name: 'ferretdb', command: TOOL_PATHS.ferretdb, args, logFile });
}

export interface StoreStartOptions {
  /** FerretDB's address, which MONGO_URL names. */
  hostPort: HostPort;
  postgresPort: number;
  /** Holds `postgres/` (the cluster) and `ferretdb/` (FerretDB's state). */
  dataDir: string;
  logsDir: string;
  disposable: boolean;
}

/** What the launcher starts as "mongodb": PostgreSQL, then FerretDB in front of it. */
export interface StartedStore {
  /** FerretDB; stopping it stops the PostgreSQL started with it (after FerretDB, which holds its connections). */
  process: ManagedProcess;
  /** For banners and /ready (MONGO_BACKEND): e.g. "PostgreSQL 15.14". */
  backend: string;
}

export async function startFerretDbOnPostgres(opts: StoreStartOptions): Promise<StartedStore> {
  const postgres = await startPostgres({
    dataDir: join(opts.dataDir, 'postgres'),
    port: opts.postgresPort,
    logFile: join(opts.logsDir, 'postgres.log'),
    disposable: opts.disposable,
  });
  const ferretdb = startFerretDb({
    hostPort: opts.hostPort,
    backend: { kind: 'postgresql', url: ferretDbPostgresUrl(postgres) },
    stateDir: join(opts.dataDir, 'ferretdb', 'state'),
    logFile: join(opts.logsDir, 'ferretdb.log'),
  });
  const process: ManagedProcess = {
    ...ferretdb,
    async stop(graceMs) {
      await ferretdb.stop(graceMs);
      await postgres.process?.stop(graceMs);
    },
  };
  return { process, backend: `PostgreSQL ${postgres.version}` };
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
