import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createBatchScoringActivities } from '../../activities/batch-scoring.js';
import type { RankingActivities } from '../../activities/ranking.js';
import type { BatchScorer } from '../../src/ranking/batch.js';
import { batchScoringSchedule } from '../../src/workflow-clients/schedules.js';
import { getScoringProgressQuery, type BatchScoringInput } from '../../workflows/batch-scoring/messages.js';
import type { batchScoringWorkflow } from '../../workflows/batch-scoring/workflow.js';
import { testConfig } from '../helpers/build-app.js';
import { recordHistory } from '../helpers/histories.js';
import { bundleWorkflows, createTimeSkippingEnv, terminateAll, uniqueId } from '../helpers/workflow-env.js';

type RunActivities = Pick<RankingActivities, 'refreshContentPopularity' | 'saveScoringRun' | 'scoreActiveUserPage'>;
type SavedRun = Parameters<RankingActivities['saveScoringRun']>[0];

const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `batch-scoring-${process.pid}`,
  TEMPORAL_RANKING_TASK_QUEUE: `batch-scoring-ranking-${process.pid}`,
  BATCH_SCORING_PAGE_SIZE: '8',
});
const USERS = Array.from({ length: 30 }, (_, i) => `u${String(i).padStart(3, '0')}`);
const ITEMS_PER_USER = 200;

/** The workflow's input exactly as the schedule starts it, with chunks small enough to interrupt mid-page. */
function scheduledInput(): BatchScoringInput {
  const { action } = batchScoringSchedule(config);
  assert.ok(action.type === 'startWorkflow');
  const [input] = action.args as Parameters<typeof batchScoringWorkflow>;
  return { settings: { ...input.settings, chunkSize: 2, heartbeatTimeoutMs: 10_000 } };
}

/**
 * 30 active users in memory; `scored` counts each user's scorings. With `holdAt`, scoring stops at the chunk that
 * starts with that user until the activity is cancelled (its worker shutting down), as a killed worker would.
 */
function memoryScorer(scored: Map<string, number>, holdAt?: string) {
  let reachedHold: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (reachedHold = resolve));
  const scorer: BatchScorer = {
    async activeUsers(afterUserId, _since, limit) {
      return USERS.filter((id) => afterUserId === null || id > afterUserId).slice(0, limit);
    },
    async scoreUsers(userIds) {
      if (holdAt !== undefined && userIds[0] === holdAt) {
        reachedHold();
        const signal = Context.current().cancellationSignal;
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('worker stopping'))));
      }
      for (const id of userIds) scored.set(id, (scored.get(id) ?? 0) + 1);
      return {
        users: userIds.length,
        items: userIds.length * ITEMS_PER_USER,
        failures: 0,
        fallbackUsers: 0,
        modelVersion: 'test-model',
      };
    },
  };
  return { scorer, held };
}

function rankingActivities(scorer: BatchScorer, runs: SavedRun[]): RunActivities {
  return {
    ...createBatchScoringActivities(scorer),
    refreshContentPopularity: async () => 0,
    saveScoringRun: async (run) => void runs.push(run),
  };
}

describe('batchScoringWorkflow (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  const started = new Set<string>();

  before(async () => {
    env = await createTimeSkippingEnv();
    bundle = await bundleWorkflows();
  });
  after(async () => {
    await terminateAll(env, started);
    await env?.teardown();
  });

  const workflowWorker = () =>
    Worker.create({ connection: env.nativeConnection, taskQueue: config.TEMPORAL_TASK_QUEUE, workflowBundle: bundle });
  const rankingWorker = (activities: RunActivities) =>
    Worker.create({
      connection: env.nativeConnection,
      taskQueue: config.TEMPORAL_RANKING_TASK_QUEUE,
      activities,
      // Heartbeats reach the server at once, so the test can see the cursor before it kills the worker.
      maxHeartbeatThrottleInterval: '100 ms',
      shutdownGraceTime: '1 second',
    });

  it('a run started as the schedule starts it scores every active user once and records the run', async () => {
    const scored = new Map<string, number>();
    const runs: SavedRun[] = [];
    const { scorer } = memoryScorer(scored);
    const workflowId = uniqueId('batch-scoring');
    started.add(workflowId);
    const workers = await Promise.all([workflowWorker(), rankingWorker(rankingActivities(scorer, runs))]);
    const handle = await env.client.workflow.start('batchScoringWorkflow', {
      workflowId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [scheduledInput()],
    });
    // The query runs while the workers do: a closed workflow answers queries by replay on a worker.
    const [result, progress] = await workers[0].runUntil(
      workers[1].runUntil(async () => {
        const done = await handle.result();
        return [done, await handle.query(getScoringProgressQuery)] as const;
      }),
    );

    assert.equal(result.users, USERS.length);
    assert.equal(result.itemsScored, USERS.length * ITEMS_PER_USER);
    assert.equal(result.pages, 4, '8 + 8 + 8 + 6 users');
    assert.deepEqual(
      [...scored.values()],
      USERS.map(() => 1),
    );
    assert.deepEqual(
      runs.map((r) => [r._id, r.status, r.users]),
      [
        [workflowId, 'running', 0],
        [workflowId, 'completed', 30],
      ],
    );
    assert.equal(runs[1]?.modelVersion, 'test-model');
    assert.ok((runs[1]?.durationMs ?? -1) >= 0);
    assert.equal(progress.status, 'completed');
    assert.equal(progress.afterUserId, 'u029');
    await recordHistory(handle, 'batchScoringWorkflow-complete');
  });

  it('a run whose worker is killed mid-page resumes from the heartbeat cursor and scores each user once', async () => {
    const scored = new Map<string, number>();
    const runs: SavedRun[] = [];
    const first = memoryScorer(scored, 'u012'); // page 2 is u008–u015; chunks u008–9 and u010–11 finish first
    const workflowId = uniqueId('batch-scoring-kill');
    started.add(workflowId);
    const workflows = await workflowWorker();
    const result = await workflows.runUntil(async () => {
      const handle = await env.client.workflow.start('batchScoringWorkflow', {
        workflowId,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [scheduledInput()],
      });
      const doomed = await rankingWorker(rankingActivities(first.scorer, runs));
      const doomedRun = doomed.run();
      await first.held;
      await waitForHeartbeat(handle, 'u011');
      doomed.shutdown();
      await doomedRun;
      assert.equal(scored.size, 12, 'u000–u011 scored before the kill');

      const replacement = await rankingWorker(rankingActivities(memoryScorer(scored).scorer, runs));
      return replacement.runUntil(handle.result());
    });

    assert.deepEqual(
      [...scored.entries()].filter(([, n]) => n !== 1),
      [],
      'no user scored twice',
    );
    assert.equal(scored.size, USERS.length);
    assert.equal(result.users, USERS.length, 'the resumed page kept the counts of its first attempt');
    assert.equal(runs.at(-1)?.status, 'completed');
  });
});

/** Polls the workflow's pending activity until its last heartbeat carries `lastUserId`. */
async function waitForHeartbeat(
  handle: {
    describe(): Promise<{
      raw: {
        pendingActivities?: Array<{
          heartbeatDetails?: { payloads?: Array<{ data?: Uint8Array | null }> | null } | null;
        }> | null;
      };
    }>;
  },
  lastUserId: string,
): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { raw } = await handle.describe();
    const data = raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0]?.data;
    if (data && (JSON.parse(Buffer.from(data).toString('utf8')) as { lastUserId: string }).lastUserId === lastUserId)
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`no heartbeat with lastUserId ${lastUserId}`);
}
