import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './tools.js';

export interface AppChild {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Runs `npm run <script>` with each output line prefixed by its name. Own process group, so the
 * whole npm → tsx → node chain stops together and only when we say (after Ctrl-C, before services).
 * Returns undefined, with a warning, while the entry file is not written yet.
 */
export function spawnAppChild(script: string, entryFile: string, env: NodeJS.ProcessEnv): AppChild | undefined {
  if (!existsSync(join(REPO_ROOT, entryFile))) {
    console.warn(`[dev] ${entryFile} does not exist yet; not starting "${script}"`);
    return undefined;
  }
  const child = spawn('npm', ['run', '--silent', script], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${script}]`.padEnd(9);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`${prefix} ${line}`));
  }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      console.log(`${prefix} exited (${signal ?? code})`);
      resolve();
    });
    child.once('error', (error) => {
      console.error(`${prefix} could not start: ${error.message}`);
      resolve();
    });
  });
  return { name: script, child, exited };
}

/**
 * SIGTERM to the child's process group, SIGKILL if anything of it is left after graceMs. Waits for
 * the whole group, not just npm: npm exits at once on SIGTERM while the app behind it is still
 * draining, and the services must outlive the app's shutdown.
 */
export async function stopAppChild({ child, exited }: AppChild, graceMs = 8000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || !groupAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  await exited;
  while (groupAlive(pid)) {
    if (Date.now() > deadline) signalGroup(pid, 'SIGKILL');
    await sleep(100);
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}
