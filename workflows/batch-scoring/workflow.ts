import {
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { RankingActivities } from '../../activities/ranking.js';
import { DAY_MS } from '../../src/domain/decay.js';
import { getScoringProgressQuery, type BatchScoringInput, type BatchScoringProgress } from './messages.js';

/** Pages per run before continue-as-new: each page is a handful of history events, so this stays far below limits. */
const PAGES_PER_RUN = 500;

/**
 * One batch-scoring run, started by the schedule (src/workflow-clients/schedules.ts) or by an operator: refreshes item
 * popularity, then pages through the users active in the last `activeDays`, each page one heartbeating activity on
 * the ranking queue, and records the run in scoring_runs. The cursor lives here (between pages) and in the
 * activity's heartbeats (within a page), so a killed worker costs at most one chunk of work.
 */
export async function batchScoringWorkflow(input: BatchScoringInput): Promise<BatchScoringProgress> {
  const { settings } = input;
  const acts = proxyActivities<RankingActivities>({
    taskQueue: settings.rankingTaskQueue,
    startToCloseTimeout: '1 hour',
    heartbeatTimeout: settings.heartbeatTimeoutMs,
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });
  const progress: BatchScoringProgress = input.carried ?? {
    runId: workflowInfo().workflowId,
    startedAtMs: Date.now(),
    afterUserId: null,
    pages: 0,
    users: 0,
    itemsScored: 0,
    failures: 0,
    fallbackUsers: 0,
    modelVersion: null,
    status: 'scoring',
  };
  setHandler(getScoringProgressQuery, () => progress);

  if (!input.carried) {
    await acts.refreshContentPopularity(progress.startedAtMs);
    await acts.saveScoringRun(runRecord(progress));
  }
  const activeSinceMs = progress.startedAtMs - settings.activeDays * DAY_MS;
  for (let pagesThisRun = 0; ; pagesThisRun++) {
    if (pagesThisRun >= PAGES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof batchScoringWorkflow>({ settings, carried: progress });
    }
    const page = await acts.scoreActiveUserPage({
      afterUserId: progress.afterUserId,
      activeSinceMs,
      pageSize: settings.pageSize,
      chunkSize: settings.chunkSize,
      nowMs: progress.startedAtMs,
    });
    progress.pages++;
    progress.users += page.users;
    progress.itemsScored += page.items;
    progress.failures += page.failures;
    progress.fallbackUsers += page.fallbackUsers;
    progress.modelVersion = page.modelVersion ?? progress.modelVersion;
    progress.afterUserId = page.lastUserId;
    if (page.done) break;
  }
  progress.status = 'completed';
  await acts.saveScoringRun(runRecord(progress, Date.now()));
  log.info('batch scoring run completed', {
    runId: progress.runId,
    users: progress.users,
    items: progress.itemsScored,
  });
  return progress;
}

function runRecord(p: BatchScoringProgress, finishedAtMs?: number): Parameters<RankingActivities['saveScoringRun']>[0] {
  return {
    _id: p.runId,
    status: finishedAtMs === undefined ? 'running' : 'completed',
    startedAtMs: p.startedAtMs,
    users: p.users,
    itemsScored: p.itemsScored,
    failures: p.failures,
    fallbackUsers: p.fallbackUsers,
    ...(p.modelVersion !== null ? { modelVersion: p.modelVersion } : {}),
    ...(finishedAtMs !== undefined ? { finishedAtMs, durationMs: finishedAtMs - p.startedAtMs } : {}),
  };
}
