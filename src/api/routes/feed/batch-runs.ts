import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ScheduleNotFoundError } from '@temporalio/client';
import {
  isScoringRunPosition,
  latestScoringRuns,
  scoringRunPosition,
  type ScoringRunDoc,
} from '../../../store/scoring-runs.js';
import { batchScoringScheduleId } from '../../../workflow-clients/schedules.js';
import { batchScoringSettings } from '../../../workflow-clients/settings.js';
import { requireRole } from '../../principal.js';
import { notFound } from '../../problems.js';
import { decodeCursor, encodeCursor, problemResponses } from '../../schemas/common.js';
import { ScheduleState, ScoringRunList, ScoringRunsQuery, StartedRun } from '../../schemas/feed.js';

/**
 * Operator controls of batch scoring, the REST twin of the Temporal UI/CLI steps (src/workflow-clients/schedules.ts):
 * start a run now, pause or resume the schedule, and list recent runs from scoring_runs. Progress of a running
 * run is its workflow's getScoringProgress query in the Temporal UI.
 */
const batchRunRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const operatorOnly = { preHandler: requireRole('operator') };

  fastify.post(
    '/feed/batch-runs',
    {
      ...operatorOnly,
      schema: {
        summary: 'Start a batch-scoring run now (operators)',
        tags: ['feed', 'operations'],
        response: { 202: StartedRun, ...problemResponses(401, 403, 429, 503) },
      },
    },
    async (_request, reply) => {
      const { client } = await fastify.temporal.get();
      // Run ids start with the schedule id, so each deployment's runs (and scoring_runs records) stay apart.
      const workflowId = `${batchScoringScheduleId(fastify.config)}-manual-${new Date().toISOString()}`;
      await client.workflow.start('batchScoringWorkflow', {
        workflowId,
        taskQueue: fastify.config.TEMPORAL_TASK_QUEUE,
        args: [{ settings: batchScoringSettings(fastify.config) }],
      });
      return reply.code(202).send({ workflowId });
    },
  );

  fastify.put(
    '/feed/batch-schedule',
    {
      ...operatorOnly,
      schema: {
        summary: 'Pause or resume the batch-scoring schedule (operators)',
        tags: ['feed', 'operations'],
        body: ScheduleState,
        response: { 200: ScheduleState, ...problemResponses(400, 401, 403, 404, 429, 503) },
      },
    },
    async (request) => {
      const { client } = await fastify.temporal.get();
      const handle = client.schedule.getHandle(batchScoringScheduleId(fastify.config));
      const note = request.body.note ?? `by ${request.principal!.userId} via the API`;
      try {
        await (request.body.paused ? handle.pause(note) : handle.unpause(note));
        const { state } = await handle.describe();
        return { paused: state.paused, ...(state.note ? { note: state.note } : {}) };
      } catch (error) {
        // The worker creates the schedule at start; before that (or once an operator deleted it) there is none.
        if (error instanceof ScheduleNotFoundError) throw notFound('There is no batch-scoring schedule yet');
        throw error;
      }
    },
  );

  fastify.get(
    '/feed/batch-runs',
    {
      ...operatorOnly,
      schema: {
        summary: 'Recent batch-scoring runs, newest first, paged (operators)',
        tags: ['feed', 'operations'],
        querystring: ScoringRunsQuery,
        response: { 200: ScoringRunList, ...problemResponses(400, 401, 403, 429, 503) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, isScoringRunPosition) : null;
      const { db } = await fastify.mongo.get();
      const runs = await latestScoringRuns(db, limit + 1, after);
      const page = runs.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(runView),
        nextCursor: runs.length > limit && last ? encodeCursor({ ...scoringRunPosition(last) }) : null,
      };
    },
  );
};

function runView(run: ScoringRunDoc) {
  return {
    runId: run._id,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    users: run.users,
    itemsScored: run.itemsScored,
    failures: run.failures,
    fallbackUsers: run.fallbackUsers ?? 0,
    durationMs: run.durationMs ?? null,
    modelVersion: run.modelVersion ?? null,
  };
}

export default batchRunRoutes;
