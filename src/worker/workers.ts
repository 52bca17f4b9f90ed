import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type BundleOptions,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/index.js';
import { createRankingActivities } from '../../activities/ranking.js';
import type { Config } from '../config.js';
import { activityMetricsInterceptor } from './metrics.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));
/** Bundled with the workflows: activity summaries for the UI, request-id log lines. */
export const WORKFLOW_INTERCEPTOR_MODULES = [fileURLToPath(new URL('./workflow-interceptors.ts', import.meta.url))];
/**
 * `npm run build` writes the bundle here (dist/workflow-bundle.js, beside dist/src), so the production worker loads
 * it instead of bundling TypeScript at every start; from the sources the path does not exist and the worker bundles.
 */
export const PREBUILT_WORKFLOW_BUNDLE_PATH = fileURLToPath(new URL('../../workflow-bundle.js', import.meta.url));

/** The workflows and their interceptor modules in one bundle (the build, the tests, and a worker run from sources). */
export function bundlePowerstreamWorkflows(logger?: BundleOptions['logger']): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    ...(logger ? { logger } : {}),
  });
}

/** A given bundle, the prebuilt one, or the sources (the worker then bundles them with the interceptor modules). */
function workflowCode(bundle: WorkerOptions['workflowBundle']): Pick<
  WorkerOptions,
  'workflowBundle' | 'workflowsPath'
> & {
  workflowModules: string[];
} {
  if (bundle) return { workflowBundle: bundle, workflowModules: [] };
  if (existsSync(PREBUILT_WORKFLOW_BUNDLE_PATH)) {
    return { workflowBundle: { codePath: PREBUILT_WORKFLOW_BUNDLE_PATH }, workflowModules: [] };
  }
  return { workflowsPath: WORKFLOWS_PATH, workflowModules: WORKFLOW_INTERCEPTOR_MODULES };
}

export interface WorkerSetup {
  config: Config;
  connection: NativeConnection;
  /** The stores; the worker adds its own `config`, so activities and worker cannot disagree on it. */
  deps: Omit<ActivityDeps, 'config'>;
  /** A pre-built bundle (tests bundle once per file); otherwise the worker bundles WORKFLOWS_PATH itself. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Extra interceptors; the integration tests use one to make activities fail once after running. */
  interceptors?: WorkerOptions['interceptors'];
}

/**
 * The `powerstream` worker: every workflow plus the I/O activities. Cache and concurrency are sized for a
 * 2-core box holding thousands of mostly idle entity workflows: a cached workflow costs a few hundred KB, and
 * activities are short Mongo/Redis writes, so more concurrent activities than cores is fine.
 */
export function createPowerstreamWorker({
  config,
  connection,
  deps,
  workflowBundle,
  interceptors,
}: WorkerSetup): Promise<Worker> {
  const { workflowModules, ...code } = workflowCode(workflowBundle);
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...code,
    interceptors: {
      activity: [activityMetricsInterceptor, ...(interceptors?.activity ?? [])],
      workflowModules: [...workflowModules, ...(interceptors?.workflowModules ?? [])],
    },
    activities: createActivities({ ...deps, config }),
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentActivityTaskExecutions: 64,
    // A user-interest workflow task holds its slot while its local activities (restore, persist) wait for the
    // shared bulk write; more slots let more of them join one flush (bench/ingest: 1000 users, 652 → 788 events/s).
    maxConcurrentWorkflowTaskExecutions: 256,
    maxConcurrentLocalActivityExecutions: 256,
    shutdownGraceTime: '10 seconds',
  });
}

/**
 * The `ranking` worker: activities only (feed refresh, batch scoring), polling their own task queue so model-heavy
 * work scales and fails apart from the entity workflows. Few concurrent activities: each batch page keeps a core
 * busy with ONNX inference, and the box has two.
 */
export function createRankingWorker({
  config,
  connection,
  deps,
}: Omit<WorkerSetup, 'workflowBundle'>): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_RANKING_TASK_QUEUE,
    activities: createRankingActivities({
      ...deps,
      config,
      feedTtlSeconds: config.FEED_TTL_SECONDS,
      refreshMinIntervalMs: config.FEED_REFRESH_MIN_INTERVAL_MS,
      ...(config.RANKING_MODEL_PATH ? { modelPath: config.RANKING_MODEL_PATH } : {}),
    }),
    interceptors: { activity: [activityMetricsInterceptor] },
    maxConcurrentActivityTaskExecutions: 8,
    shutdownGraceTime: '10 seconds',
  });
}
