import { execFile } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
} from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { startProcess, tailOfLog, type ManagedProcess } from './process.js';

const run = promisify(execFile);

/** The cluster's superuser, named explicitly so the same URL works whoever ran initdb. */
export const POSTGRES_USER = 'postgres';
/** The database FerretDB keeps its MongoDB databases in (one PostgreSQL schema each). */
export const FERRETDB_DATABASE = 'ferretdb';

export interface PostgresStartOptions {
  /** The cluster folder; initdb runs there when it holds no cluster yet. Also holds the unix socket. */
  dataDir: string;
  port: number;
  logFile: string;
  /** A throw-away cluster (tests, benches): no fsync, nothing is worth keeping after a crash. */
  disposable: boolean;
}

export interface RunningPostgres {
  /** Undefined when a server left running on this folder was reused (and so is not ours to stop). */
  process: ManagedProcess | undefined;
  port: number;
  /** Where its unix socket lives: FerretDB connects there, with no TCP on the path. */
  socketDir: string;
  version: string;
}

/**
 * A PostgreSQL binary folder: that of `postgres` on PATH (links resolved, so /usr/local/bin links lead to the
 * folder with initdb and pg_isready), else the newest /usr/lib/postgresql/<major>/bin (Debian's layout, which keeps
 * the server binaries off PATH). scripts/bootstrap.sh installs the `postgresql` package when neither exists.
 */
export function findPostgresBinDir(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = dir && join(dir, 'postgres');
    if (candidate && isExecutable(candidate)) {
      const binDir = dirname(realpathSync(candidate));
      if (isExecutable(join(binDir, 'initdb'))) return binDir;
    }
  }
  const debianRoot = '/usr/lib/postgresql';
  const majors = existsSync(debianRoot) ? readdirSync(debianRoot).filter((name) => /^\d+$/.test(name)) : [];
  for (const major of majors.sort((a, b) => Number(b) - Number(a))) {
    const binDir = join(debianRoot, major, 'bin');
    if (isExecutable(join(binDir, 'postgres'))) return binDir;
  }
  throw new Error(
    'No PostgreSQL server binaries found (postgres on PATH or /usr/lib/postgresql/*/bin); run npm run setup',
  );
}

/**
 * Starts PostgreSQL on `dataDir` (running initdb first when there is no cluster yet) and creates FerretDB's
 * database. A server already running on that folder (left by an earlier `npm run services`) is reused.
 *
 * initdb and postgres refuse to run as root; as root (CI, containers) they run as the `postgres` system user,
 * which then owns the folder.
 */
export async function startPostgres({
  dataDir,
  port,
  logFile,
  disposable,
}: PostgresStartOptions): Promise<RunningPostgres> {
  const binDir = findPostgresBinDir();
  const owner = clusterOwner();
  const { stdout } = await run(join(binDir, 'postgres'), ['--version']);
  const version = /\(PostgreSQL\)\s+(\S+)/.exec(stdout)?.[1] ?? stdout.trim();
  const reused = runningServerPort(dataDir);
  if (reused !== undefined) {
    await waitForPostgres(binDir, dataDir, reused, undefined);
    return { process: undefined, port: reused, socketDir: dataDir, version };
  }
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initCluster(binDir, dataDir, owner, disposable, logFile);
  const postgres = startProcess({
    name: 'postgres',
    command: join(binDir, 'postgres'),
    args: ['-D', dataDir, ...serverSettings(dataDir, port, disposable)],
    logFile,
    uid: owner?.uid,
    gid: owner?.gid,
    // SIGINT is PostgreSQL's "fast" shutdown; SIGTERM ("smart") would wait for FerretDB's pooled connections.
    stopSignal: 'SIGINT',
  });
  try {
    await waitForPostgres(binDir, dataDir, port, postgres);
    await createDatabase(binDir, dataDir, port);
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  return { process: postgres, port, socketDir: dataDir, version };
}

/**
 * FerretDB 1.x keeps a query's connection while it takes a second one from this pool for the write of an update, so
 * as many concurrent updates as the pool holds deadlock it. Its default is 50; every client process together
 * (MONGO_MAX_POOL_SIZE each) must stay below this. PostgreSQL allows 50 more for psql and the ops tools.
 */
export const FERRETDB_POOL_MAX_CONNS = 150;

/**
 * Settings for a dev box (see docs/store.md). Every cluster: commits return before their WAL reaches disk
 * (synchronous_commit=off: a crash may lose the last fraction of a second of commits, never corrupts), small
 * shared memory, no JIT (FerretDB's short queries only pay its compile time), loopback only. Throw-away clusters
 * also skip fsync and full-page writes: unsafe on a crash, which only ends a test run that deletes them anyway.
 */
export function serverSettings(socketDir: string, port: number, disposable: boolean): string[] {
  const settings: Record<string, string> = {
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir,
    synchronous_commit: 'off',
    shared_buffers: '64MB',
    max_connections: String(FERRETDB_POOL_MAX_CONNS + 50),
    jit: 'off',
    max_wal_size: '1GB',
    log_min_messages: 'warning',
    ...(disposable ? { fsync: 'off', full_page_writes: 'off', wal_level: 'minimal', max_wal_senders: '0' } : {}),
  };
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

/** FerretDB's `--postgresql-url`: the cluster's unix socket (pgx reads a folder in `host` as one). */
export function ferretDbPostgresUrl({ socketDir, port }: Pick<RunningPostgres, 'socketDir' | 'port'>): string {
  const query = new URLSearchParams({
    host: socketDir,
    port: String(port),
    pool_max_conns: String(FERRETDB_POOL_MAX_CONNS),
  });
  return `postgres://${POSTGRES_USER}@/${FERRETDB_DATABASE}?${query.toString()}`;
}

interface Owner {
  uid: number;
  gid: number;
}

/** The `postgres` system user when we run as root, else undefined (the current user runs everything). */
function clusterOwner(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${POSTGRES_USER}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('Running as root, PostgreSQL needs the `postgres` system user (apt install postgresql creates it)');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

async function initCluster(
  binDir: string,
  dataDir: string,
  owner: Owner | undefined,
  disposable: boolean,
  logFile: string,
): Promise<void> {
  // The folders above keep the default mode: a recursive mkdir with 0700 would close them to the postgres user.
  mkdirSync(dirname(dataDir), { recursive: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (owner) {
    chownSync(dataDir, owner.uid, owner.gid);
    await run('test', ['-x', dataDir], { uid: owner.uid, gid: owner.gid }).catch(() => {
      throw new Error(
        `The ${POSTGRES_USER} user cannot reach ${dataDir}: a folder above it is closed to others (chmod o+x it)`,
      );
    });
  }
  // trust: the server listens on loopback and a socket in a folder only its owner can enter. C locale: no
  // dependency on the locales installed, and byte order is what FerretDB's string comparisons expect anyway.
  const args = ['-D', dataDir, `--username=${POSTGRES_USER}`, '--auth=trust', '--encoding=UTF8', '--locale=C'];
  if (disposable) args.push('--no-sync');
  try {
    await run(join(binDir, 'initdb'), args, { uid: owner?.uid, gid: owner?.gid, cwd: dataDir });
  } catch (error) {
    const output = error as { stderr?: string; message?: string };
    throw new Error(`initdb in ${dataDir} failed: ${output.stderr || output.message} (log: ${logFile})`);
  }
}

/** The port of a live server that owns this folder, from its postmaster.pid (pid on line 1, port on line 4). */
function runningServerPort(dataDir: string): number | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!(pid > 0 && port > 0)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? port : undefined;
  }
}

async function waitForPostgres(
  binDir: string,
  socketDir: string,
  port: number,
  server: ManagedProcess | undefined,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server?.hasExited()) {
      throw new Error(
        `postgres exited (${await server.exited}) during start-up; last lines of ${server.logFile}:\n${tailOfLog(server.logFile)}`,
      );
    }
    try {
      await run(join(binDir, 'pg_isready'), ['-q', '-h', socketDir, '-p', String(port), '-U', POSTGRES_USER]);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${timeoutMs / 1000}s`);
      await sleep(200);
    }
  }
}

async function createDatabase(binDir: string, socketDir: string, port: number): Promise<void> {
  try {
    await run(join(binDir, 'createdb'), ['-h', socketDir, '-p', String(port), '-U', POSTGRES_USER, FERRETDB_DATABASE]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    if (!stderr.includes('already exists')) throw new Error(`createdb ${FERRETDB_DATABASE} failed: ${stderr}`);
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
