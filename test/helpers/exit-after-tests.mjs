import { after } from 'node:test';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { isMainThread } from 'node:worker_threads';

/**
 * Preloaded into every test file's process by scripts/run-tests.ts (plain JS: Temporal's workflow worker threads
 * inherit the flag but not tsx). Once all of a file's tests have run and reported, a handle a test leaked — a driver
 * socket, a native runtime — must not keep the process, and so the whole run, alive: exit shortly after the last
 * root `after` hook. The timer is unref'd, so a file that leaks nothing exits on its own first. Unlike the runner's
 * forceExit, this never cuts a file short while tests remain.
 */
if (isMainThread && process.env.NODE_TEST_CONTEXT?.startsWith('child')) {
  after(() => {
    setTimeout(() => process.exit(), 3_000).unref();
  });
}
