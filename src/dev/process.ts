import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or the signal name) when the process has ended. */
  exited: Promise<number | string>;
  hasExited(): boolean;
  stopSignal: NodeJS.Signals;
  /** stopSignal (SIGTERM by default) to the process group, SIGKILL after graceMs. Resolves once it has ended. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (a root launcher starting a server that refuses root, like PostgreSQL). */
  uid?: number;
  gid?: number;
  cwd?: string;
  /** What stop() sends first; SIGTERM unless the server shuts down quicker on another signal. */
  stopSignal?: NodeJS.Signals;
}

const running = new Set<ManagedProcess>();
let exitHookInstalled = false;

/**
 * Starts a long-running server with its output in a log file. It gets its own process group
 * (detached), so a Ctrl-C in the terminal reaches only our process, which then stops things in
 * order (clients before the servers they use); the group kill also takes any grandchildren.
 */
export function startProcess(options: StartOptions): ManagedProcess {
  const { name, command, args, logFile, env, uid, gid, cwd, stopSignal = 'SIGTERM' } = options;
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  writeSync(log, `\n--- ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: env ?? process.env,
    ...(uid === undefined ? {} : { uid }),
    ...(gid === undefined ? {} : { gid }),
    ...(cwd === undefined ? {} : { cwd }),
  });
  closeSync(log);

  let exitedWith: number | string | undefined;
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (error) => {
      exitedWith = `failed to start: ${error.message}`;
      resolve(exitedWith);
    });
    child.once('exit', (code, signal) => {
      exitedWith = code ?? signal ?? 'unknown';
      resolve(exitedWith);
    });
  });

  const managed: ManagedProcess = {
    name,
    stopSignal,
    pid: child.pid ?? -1,
    logFile,
    exited,
    hasExited: () => exitedWith !== undefined,
    async stop(graceMs = 5000) {
      if (exitedWith === undefined) {
        signalGroup(managed.pid, stopSignal);
        const timer = setTimeout(() => signalGroup(managed.pid, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      running.delete(managed);
    },
  };
  running.add(managed);
  void exited.then(() => running.delete(managed));
  installExitHook();
  return managed;
}

/** The last lines of a log, to put the cause of a failed start into the error itself. */
export function tailOfLog(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  if (pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Last resort when the parent exits without calling stop() (an uncaught error, process.exit
 * elsewhere): 'exit' handlers cannot wait, so only ask the servers to terminate.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const managed of running) signalGroup(managed.pid, managed.stopSignal);
  });
}
