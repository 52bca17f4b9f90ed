import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, derived from this file's location so it holds from any working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Everything scripts/bootstrap.sh installs and the launcher writes lives here (git-ignored). */
export const TOOLS_DIR = join(REPO_ROOT, '.tools');
export const DATA_DIR = join(TOOLS_DIR, 'data');
export const LOGS_DIR = join(TOOLS_DIR, 'logs');

export const TOOL_PATHS = {
  /** Temporal CLI: `temporal server start-dev` is the dev server with its web UI. */
  temporal: join(TOOLS_DIR, 'py', 'bin', 'temporal'),
  /** Time-skipping test server, for TestWorkflowEnvironment.createTimeSkipping. */
  temporalTestServer: join(TOOLS_DIR, 'py', 'bin', 'temporal-test-server'),
  /** FerretDB 1.x, the MongoDB-compatible server, on PostgreSQL (src/dev/postgres.ts finds its binaries). */
  ferretdb: join(TOOLS_DIR, 'bin', 'ferretdb'),
  /** Installed system-wide by apt, so found on PATH. */
  redisServer: 'redis-server',
} as const;
