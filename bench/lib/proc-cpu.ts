import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) of local processes from /proc/<pid>/stat, for the benches' "CPU seconds" figures:
 * a process with its threads, or a whole tree (PostgreSQL forks a backend per connection; the time of backends that
 * exited is in their parent's cutime/cstime, so a tree's sum counts every process once). Linux only.
 */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
  // The command sits in parentheses and may itself hold spaces or parentheses: fields resume after the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' '); // fields[0] is field 3 (state)
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  return { pid, comm, ppid: Number(fields[1]), ticks: utime! + stime! + cutime! + cstime! };
}

function allStats(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readStat(Number(name)) ?? []);
}

/** CPU seconds of pid and every process below it. */
export function treeCpuSeconds(pid: number): number {
  const stats = allStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let ticks = 0;
  const todo = stats.filter((s) => s.pid === pid);
  for (let s = todo.pop(); s; s = todo.pop()) {
    ticks += s.ticks;
    todo.push(...(children.get(s.pid) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}

/** The pids of this process's direct children whose command is `comm` (the services ensureServices started). */
export function childPids(comm: string): number[] {
  return allStats()
    .filter((s) => s.ppid === process.pid && s.comm === comm)
    .map((s) => s.pid);
}

/** The 1-minute load average. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}
