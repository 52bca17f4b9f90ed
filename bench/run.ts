/**
 * `npm run bench`: runs every benchmark in bench/*.ts (this file aside) one after another, each in its own process
 * with the terminal's stdio, under a header naming it. `npm run bench -- ranking ingest` runs only the benches
 * whose file name contains one of the words, and `npm run bench -- ingest -- --users 1000` passes what follows the
 * second `--` to each bench run. Benchmarks print their figures; a bench that needs Temporal, MongoDB
 * or Redis starts its own with ensureServices({ mode: 'test' }) from src/dev/services.ts, so nothing here does.
 *
 * Each run also writes a summary (which benches ran, how long, exit codes, commit) to
 * bench/results/run-<time>.json, and tells the benches that folder in BENCH_RESULTS_DIR, where a bench may write
 * its own figures as JSON. bench/results/ is git-ignored: figures belong to the machine that produced them.
 * Not benches: files in subfolders (shared helpers), and `<bench>-<part>.ts` next to `<bench>.ts` (that bench's own
 * helpers and child-process entries, e.g. ingest-worker.ts beside ingest.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, relative } from 'node:path';
import { REPO_ROOT } from '../src/dev/tools.js';

const BENCH_DIR = join(REPO_ROOT, 'bench');
const RESULTS_DIR = join(BENCH_DIR, 'results');
const SELF = basename(new URL(import.meta.url).pathname);

interface BenchOutcome {
  bench: string;
  exitCode: number;
  seconds: number;
}

// `npm run bench -- ingest -- --users 1000`: names before a second `--`, arguments for the benches after it.
const args = process.argv.slice(2);
const split = args.indexOf('--');
const filters = split === -1 ? args : args.slice(0, split);
const benchArgs = split === -1 ? [] : args.slice(split + 1);
const topLevel = readdirSync(BENCH_DIR, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && entry.name !== SELF)
  .map((entry) => entry.name);
const isPartOfAnotherBench = (name: string): boolean =>
  topLevel.some((other) => other !== name && name.startsWith(`${other.slice(0, -'.ts'.length)}-`));
const available = topLevel.filter((name) => !isPartOfAnotherBench(name)).sort();
const selected = available.filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)));
if (selected.length === 0) {
  const asked = filters.length > 0 ? `matches ${filters.join(', ')}` : 'exists';
  console.error(`No benchmark ${asked}. Available: ${available.join(', ') || '(none)'}`);
  process.exit(1);
}

let interrupted = false;
// Ctrl-C reaches the running bench too (same process group); let it stop its services, then run no further bench.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    interrupted = true;
  });
}

mkdirSync(RESULTS_DIR, { recursive: true });
const startedAt = new Date();
const outcomes: BenchOutcome[] = [];
for (const [i, name] of selected.entries()) {
  if (interrupted) break;
  console.log(`\n=== bench ${i + 1}/${selected.length}: bench/${name} ${'='.repeat(Math.max(3, 60 - name.length))}`);
  outcomes.push(await runBench(name));
}

console.log('\n=== summary');
for (const { bench, exitCode, seconds } of outcomes) {
  console.log(`${exitCode === 0 ? 'ok    ' : `FAILED`} ${bench.padEnd(32)} ${seconds.toFixed(1)}s`);
}
const summaryFile = join(RESULTS_DIR, `run-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  summaryFile,
  `${JSON.stringify({ startedAt, commit: gitCommit(), node: process.version, cpus: availableParallelism(), outcomes }, null, 2)}\n`,
);
console.log(`summary written to ${relative(REPO_ROOT, summaryFile)}`);
process.exit(interrupted ? 130 : outcomes.some((o) => o.exitCode !== 0) ? 1 : 0);

function runBench(name: string): Promise<BenchOutcome> {
  const began = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH_DIR, name), ...benchArgs], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULTS_DIR: RESULTS_DIR },
  });
  return new Promise((resolve) => {
    const done = (exitCode: number): void =>
      resolve({ bench: name, exitCode, seconds: (performance.now() - began) / 1000 });
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
    child.once('error', (error) => {
      console.error(`could not start bench/${name}: ${error.message}`);
      done(1);
    });
  });
}

function gitCommit(): string | null {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}
