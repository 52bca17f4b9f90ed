import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, LOGS_DIR } from './tools.js';

/** Where one launcher's services keep their data and write their logs. */
export interface ServiceDirs {
  dataDir: string;
  logsDir: string;
  /** Test data is thrown away when the run stops; dev data is what `npm run dev` keeps. */
  disposable: boolean;
}

export function devDirs(): ServiceDirs {
  return makeDirs({ dataDir: DATA_DIR, logsDir: LOGS_DIR, disposable: false });
}

/**
 * A fresh folder per test run, named by pid so that two runs in one tree never share a database.
 * Folders of runs whose process is gone (killed before cleaning up) are removed first; the logs of
 * the last run are kept until the next one, for reading after a failure.
 */
export function testRunDirs(pid = process.pid): ServiceDirs {
  for (const parent of [DATA_DIR, LOGS_DIR]) removeDeadRunDirs(parent);
  const name = `test-${pid}`;
  const dirs = { dataDir: join(DATA_DIR, name), logsDir: join(LOGS_DIR, name), disposable: true };
  rmSync(dirs.dataDir, { recursive: true, force: true });
  return makeDirs(dirs);
}

function makeDirs(dirs: ServiceDirs): ServiceDirs {
  mkdirSync(dirs.dataDir, { recursive: true });
  mkdirSync(dirs.logsDir, { recursive: true });
  return dirs;
}

function removeDeadRunDirs(parent: string): void {
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return; // nothing there yet
  }
  for (const name of names) {
    const pid = Number(/^test-(\d+)$/.exec(name)?.[1]);
    if (pid > 0 && !isAlive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}
