import { spawn, type ChildProcess } from 'node:child_process';
import type { Config } from '../../src/config.js';
import { REPO_ROOT } from '../../src/dev/tools.js';

/**
 * `npm run worker`'s entry as a real child process (to SIGKILL it mid-work), on the test file's database and Redis
 * prefix, with `env` on top of the test run's environment.
 */
export function startWorkerProcess(
  config: Pick<Config, 'MONGO_DB' | 'REDIS_KEY_PREFIX'>,
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const childEnv = { ...process.env, ...env, MONGO_DB: config.MONGO_DB, REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX };
  return spawn(process.execPath, ['--import', 'tsx', 'src/worker/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...childEnv, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
