import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../src/config.js';
import { REPO_ROOT } from '../../src/dev/tools.js';
import { freeLoopbackPort } from '../../src/worker/free-port.js';

/** A platform process (worker or API) started the way operators start it, with its JSON log lines collected. */
export interface StartedProcess {
  child: ChildProcess;
  /** Every stdout line that parsed as JSON (pino), in order. */
  lines: Array<Record<string, unknown>>;
  /** stderr, for failure messages. */
  stderr(): string;
  stop(): Promise<number | null>;
}

/** The env a child needs to reach the same services and data as the test's own config. */
export function envOf(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(config)) if (value !== undefined) env[key] = String(value);
  return { ...env, ...extra };
}

export function startProcess(args: string[], env: NodeJS.ProcessEnv): StartedProcess {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      stderr += `${line}\n`;
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export { freeLoopbackPort };

/** Polls `url` until it answers 200 (a start-up bundles workflows: allow a couple of minutes on a busy box). */
export async function waitForOk(url: string, process: StartedProcess, tries = 1_200): Promise<Response> {
  let last = 'no answer';
  for (let i = 0; i < tries; i++) {
    if (process.child.exitCode !== null) assert.fail(`process exited (${process.child.exitCode}): ${process.stderr()}`);
    const response = await fetch(url).catch((error: unknown) => error as Error);
    if (response instanceof Response) {
      if (response.ok) return response;
      last = `${response.status} ${await response.text()}`;
    } else last = response.message;
    await sleep(200);
  }
  assert.fail(`${url} never answered 200; last: ${last}\n${process.stderr()}`);
}
