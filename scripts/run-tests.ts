/**
 * `npm test` (after scripts/bootstrap.sh): starts fresh local services on free ports, runs every
 * test file under Node's test runner against them, stops the services and exits with the
 * runner's code. `npm test -- creator` runs only the files whose path contains "creator"; a run of
 * only test/unit/ files starts no services.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ensureServices, type RunningServices } from '../src/dev/services.js';
import { REPO_ROOT, TOOL_PATHS } from '../src/dev/tools.js';

/** Cheap, pure layers first, so a broken rule fails in seconds rather than after the slow suites. */
const LAYER_ORDER = ['unit', 'workflows', 'api', 'integration'];
const TEST_DIR = join(REPO_ROOT, 'test');

const filters = process.argv.slice(2);
const files = collectTestFiles().filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)));
if (files.length === 0) {
  console.error(`No test files under test/ match ${filters.length ? filters.join(', ') : '**/*.test.ts'}`);
  process.exit(1);
}

// Unit tests are pure (docs/testing.md), so a run of only those skips the services: `npm run test:unit`.
const needsServices = files.some((file) => !file.startsWith(`test${sep}unit${sep}`));
const startedAt = Date.now();
const services = needsServices ? await startTestServices() : undefined;
if (services) {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  console.log(`Test services ready in ${seconds}s: ${Object.values(services.env).join('  ')}`);
}

// The runner keeps the layer order (`node --test` would sort the files by path); see src/dev/test-runner.ts.
const runner = join(REPO_ROOT, 'src', 'dev', 'test-runner.ts');
// Test files' processes inherit these flags; the second import ends a file's process once its tests are done.
const exitAfterTests = join(REPO_ROOT, 'test', 'helpers', 'exit-after-tests.mjs');
const child = spawn(process.execPath, ['--import', 'tsx', '--import', exitAfterTests, runner, ...files], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    ...services?.env,
    TEMPORAL_TEST_SERVER_PATH: TOOL_PATHS.temporalTestServer,
    TEMPORAL_CLI_PATH: TOOL_PATHS.temporal,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  },
});

// A Ctrl-C already reaches the runner (same process group), and a second SIGINT would cut its summary
// short, so it only gets a SIGTERM if it is still busy a while later; other signals are passed on.
// Either way the services stop only after the runner has exited.
process.on('SIGINT', () => setTimeout(() => child.kill('SIGTERM'), 5000).unref());
for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));

const exitCode = await new Promise<number>((resolve) => {
  child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  child.once('error', (error) => {
    console.error(`Could not start the test runner: ${error.message}`);
    resolve(1);
  });
});
await services?.stop();
process.exit(exitCode);

/** test/<layer>/**\/*.test.ts in layer order, then any other folder; Node 20's --test has no globs. */
function collectTestFiles(): string[] {
  const layers = readdirSync(TEST_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => layerRank(a) - layerRank(b) || a.localeCompare(b));
  const topLevel = testFilesIn(TEST_DIR, false);
  return [...topLevel, ...layers.flatMap((layer) => testFilesIn(join(TEST_DIR, layer), true))].map((file) =>
    relative(REPO_ROOT, file),
  );
}

function testFilesIn(dir: string, recursive: boolean): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts') && !entry.parentPath.includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function layerRank(name: string): number {
  const rank = LAYER_ORDER.indexOf(name);
  return rank === -1 ? LAYER_ORDER.length : rank;
}

function startTestServices(): Promise<RunningServices> {
  return ensureServices({ mode: 'test', stopOnSignal: false }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
