/**
 * Runs test files with Node's test runner in exactly the order given. `node --test a b` sorts its
 * files by path, which would put test/integration before test/unit; the run() API keeps the order,
 * so the cheap layers fail first. Files run one at a time, each in its own process (which inherits
 * our `--import tsx`). Started by scripts/run-tests.ts; exits non-zero when any test failed.
 */
import { resolve } from 'node:path';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';

const files = process.argv.slice(2).map((file) => resolve(file));
// Each file's process preloads test/helpers/exit-after-tests.mjs (see scripts/run-tests.ts), so a leaked handle
// cannot hang the run once a file's tests are done.
// A file that hangs (a deadlocked service, a leaked wait) fails after this instead of holding the run until CI's
// limit; the slowest file takes about three minutes here.
const FILE_TIMEOUT_MS = 10 * 60_000;
const stream = run({ files, concurrency: 1, timeout: FILE_TIMEOUT_MS });
stream.on('test:fail', (event) => {
  if (!event.todo) process.exitCode = 1;
});
// Spec for people at a terminal; TAP elsewhere, whose `# pass N` / `# fail N` summary CI reads.
stream.compose(process.stdout.isTTY ? new spec() : tap).pipe(process.stdout);
