import type { OpsCommand } from '../command.js';
import type { OpsContext } from '../context.js';
import { outboxCollection } from '../../store/event-outbox.js';
import { latestScoringRuns } from '../../store/scoring-runs.js';
import { batchScoringScheduleId } from '../../workflow-clients/schedules.js';
import { DESCRIBED_WORKFLOW_TYPES } from '../../../workflows/summaries.js';

export interface PlatformStatus {
  outbox: { depth: number; oldestAgeSeconds: number | null };
  /** Workflow type → execution status → count, from Temporal visibility (this namespace, every task queue). */
  workflows: Record<string, Record<string, number>>;
  batchScoring: { schedulePaused: boolean | null; latestRun: { id: string; status: string; users: number } | null };
}

export async function platformStatus(ctx: OpsContext): Promise<PlatformStatus> {
  const { db } = await ctx.mongo();
  const { client } = await ctx.temporal();
  const [depth, [oldest], [run]] = await Promise.all([
    outboxCollection(db).countDocuments({}),
    outboxCollection(db).find().sort({ createdAt: 1 }).limit(1).toArray(),
    latestScoringRuns(db, 1),
  ]);
  const workflows: PlatformStatus['workflows'] = {};
  for (const type of DESCRIBED_WORKFLOW_TYPES) {
    const counted = await client.workflow.count(`WorkflowType = '${type}' GROUP BY ExecutionStatus`);
    workflows[type] = Object.fromEntries(counted.groups.map((g) => [String(g.groupValues[0]), g.count]));
  }
  const schedulePaused = await client.schedule
    .getHandle(batchScoringScheduleId(ctx.config))
    .describe()
    .then((d) => d.state.paused)
    .catch(() => null); // not created yet: the worker creates it at start
  return {
    outbox: { depth, oldestAgeSeconds: oldest ? Math.round((Date.now() - oldest.createdAt.getTime()) / 1000) : null },
    workflows,
    batchScoring: { schedulePaused, latestRun: run ? { id: run._id, status: run.status, users: run.users } : null },
  };
}

function render(status: PlatformStatus): string {
  const lines = [
    `Event outbox: ${status.outbox.depth} entries waiting` +
      (status.outbox.oldestAgeSeconds === null ? '' : `, oldest ${status.outbox.oldestAgeSeconds}s (relay lag)`),
    '',
    'Workflows (visibility):',
  ];
  for (const [type, byStatus] of Object.entries(status.workflows)) {
    const parts = Object.entries(byStatus).map(([s, n]) => `${s} ${n}`);
    lines.push(`  ${type.padEnd(24)} ${parts.length ? parts.join(', ') : 'none'}`);
  }
  const { schedulePaused, latestRun } = status.batchScoring;
  lines.push(
    '',
    `Batch scoring: schedule ${schedulePaused === null ? 'missing' : schedulePaused ? 'PAUSED' : 'active'}` +
      (latestRun ? `; latest run ${latestRun.id} ${latestRun.status}, ${latestRun.users} users` : '; no run yet'),
  );
  return lines.join('\n');
}

export const statusCommand: OpsCommand = {
  define(program, context) {
    program
      .command('status')
      .description('outbox depth and relay lag, workflows by type and status, batch-scoring schedule and latest run')
      .option('--json', 'print one JSON document')
      .action(async (options: { json?: boolean }) => {
        const status = await platformStatus(context());
        context().print(options.json ? JSON.stringify(status, null, 2) : render(status));
      });
  },
};
