import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { pendingStepRecord, type CommandView, type PlannedStep } from '../../../domain/brain-command.js';
import { isValidTimeZone } from '../../../nlp/intents/index.js';
import { findBrainCommand, insertPlannedCommand, listBrainCommands } from '../../../store/brain-commands.js';
import {
  confirmBrainCommand,
  NotAwaitingConfirmation,
  startBrainCommand,
} from '../../../workflow-clients/brain-commands.js';
import { workflowIds } from '../../../../workflows/ids.js';
import { getStatusQuery } from '../../../../workflows/brain-command/messages.js';
import { idempotent } from '../../idempotency.js';
import { assertCanActFor } from '../../ownership.js';
import { conflict, notFound, unprocessable } from '../../problems.js';
import {
  ActionRequest,
  Clarification,
  Command,
  CommandAccepted,
  CommandList,
  CommandListQuery,
  CommandParams,
  Navigation,
  Utterance,
} from '../../schemas/brain.js';
import { decodeCursor, encodeCursor, IdempotencyKeyHeaders, problemResponses } from '../../schemas/common.js';
import Type from 'typebox';
import { checkHandles, checkNavigation, type HandleCorrection } from './handles.js';
import { isActionIntent, plannedStep, understand, type NavigationTarget } from './plan.js';
import { commandResponse, newCommandId } from './views.js';

interface Position {
  createdAtMs: number;
  commandId: string;
}
const isPosition = (v: unknown): v is Position =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Position).createdAtMs === 'number' &&
  typeof (v as Position).commandId === 'string';

/** Commands: start one from text or from an explicit action, read their status and history, confirm risky steps. */
const commands: FastifyPluginAsyncTypebox = async (fastify) => {
  const statusUrl = (commandId: string) => `${fastify.prefix}/commands/${commandId}`;

  /** Records the plan, starts its workflow and answers 202 with where to follow it; once per Idempotency-Key. */
  async function accept(
    request: FastifyRequest,
    plan: { text: string; intent: string; steps: PlannedStep[]; navigation: NavigationTarget | null },
    corrections: HandleCorrection[] = [],
  ) {
    const principal = request.principal;
    assertCanActFor(principal, principal?.userId ?? '');
    const { db } = await fastify.mongo.get();
    return idempotent(db, request, 'brain-commands', async () => {
      const key = request.headers['idempotency-key'];
      const commandId = newCommandId(principal.userId, typeof key === 'string' ? key : undefined);
      const now = Date.now();
      const view: CommandView = {
        commandId,
        userId: principal.userId,
        text: plan.text,
        intent: plan.intent,
        status: 'planned',
        steps: plan.steps.map(pendingStepRecord),
        history: [],
        awaiting: null,
        undoneBy: null,
        createdAtMs: now,
        updatedAtMs: now,
      };
      await insertPlannedCommand(db, view);
      const { client } = await fastify.temporal.get();
      const caller = { userId: principal.userId, roles: principal.roles };
      await startBrainCommand(client, fastify.config, { commandId, caller, ...plan });
      const body = {
        kind: 'command' as const,
        commandId,
        status: 'planned' as const,
        statusUrl: statusUrl(commandId),
        intent: plan.intent,
        steps: plan.steps.map((s) => ({ ...s, params: { ...s.params } })),
        navigation: plan.navigation,
        corrections,
      };
      return { status: 202, body };
    });
  }

  fastify.post(
    '/commands',
    {
      schema: {
        summary: 'Understand a spoken or typed command and start it; asks back when unsure',
        tags: ['brain'],
        headers: IdempotencyKeyHeaders,
        body: Utterance,
        response: {
          200: Type.Union([Clarification, Navigation]),
          202: CommandAccepted,
          ...problemResponses(400, 401, 422, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const { text, timezone, locale, asrConfidence, context } = request.body;
      if (!isValidTimeZone(timezone))
        throw unprocessable('Unknown time zone', [{ path: '/timezone', message: timezone }]);
      const understood = understand(text, { timezone, nowMs: Date.now(), locale, asrConfidence }, context);
      if (understood.kind === 'clarify') return reply.code(200).send(understood);
      const { db } = await fastify.mongo.get();
      if (understood.kind === 'navigation') return reply.code(200).send(await checkNavigation(db, understood));
      const checked = await checkHandles(db, understood.steps);
      if ('kind' in checked) return reply.code(200).send(checked);
      const result = await accept(request, { text, ...understood, steps: checked.steps }, checked.corrections);
      return reply.code(202).header('location', result.body.statusUrl).send(result.body);
    },
  );

  fastify.post(
    '/actions',
    {
      schema: {
        summary: 'Run a named automation action with explicit parameters (no language understanding)',
        tags: ['brain'],
        headers: IdempotencyKeyHeaders,
        body: ActionRequest,
        response: { 202: CommandAccepted, ...problemResponses(400, 401, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const { action, params = {} } = request.body;
      if (!isActionIntent(action)) {
        throw unprocessable(`${action} opens a screen; use POST navigation`, [{ path: '/action', message: action }]);
      }
      const steps = [plannedStep(0, action, params, false)];
      const result = await accept(request, { text: `action:${action}`, intent: action, steps, navigation: null });
      return reply.code(202).header('location', result.body.statusUrl).send(result.body);
    },
  );

  fastify.get(
    '/commands',
    {
      schema: {
        summary: "The caller's commands, newest first (operators: any user's with ?userId)",
        tags: ['brain'],
        querystring: CommandListQuery,
        response: { 200: CommandList, ...problemResponses(400, 401, 403, 429, 503) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const userId = request.query.userId ?? request.principal?.userId ?? '';
      assertCanActFor(request.principal, userId);
      const before = cursor ? decodeCursor(cursor, isPosition) : null;
      const { db } = await fastify.mongo.get();
      const views = await listBrainCommands(db, userId, before, limit + 1);
      const page = views.slice(0, limit);
      const last = page.at(-1);
      const nextCursor =
        views.length > limit && last
          ? encodeCursor({ createdAtMs: last.createdAtMs, commandId: last.commandId })
          : null;
      return { items: page.map(commandResponse), nextCursor };
    },
  );

  async function ownCommand(request: FastifyRequest, commandId: string): Promise<CommandView> {
    const { db } = await fastify.mongo.get();
    const view = await findBrainCommand(db, commandId);
    if (!view) throw notFound(`No command ${commandId}`);
    assertCanActFor(request.principal, view.userId);
    return view;
  }

  fastify.get(
    '/commands/:id',
    {
      schema: {
        summary: 'A command: status, steps (with the REST status of any refusal) and history',
        tags: ['brain'],
        params: CommandParams,
        response: { 200: Command, ...problemResponses(400, 401, 403, 404, 429, 503) },
      },
    },
    async (request) => commandResponse(await ownCommand(request, request.params.id)),
  );

  for (const [verb, approve] of [
    ['confirm', true],
    ['reject', false],
  ] as const) {
    fastify.post(
      `/commands/:id/${verb}`,
      {
        schema: {
          summary: `${approve ? 'Confirm' : 'Decline'} the step waiting for the user's yes`,
          tags: ['brain'],
          params: CommandParams,
          response: { 200: Command, ...problemResponses(400, 401, 403, 404, 409, 429, 503) },
        },
      },
      async (request) => {
        const view = await ownCommand(request, request.params.id);
        const { client } = await fastify.temporal.get();
        let accepted;
        try {
          accepted = await confirmBrainCommand(client, view.commandId, approve);
        } catch (error) {
          if (error instanceof NotAwaitingConfirmation) throw conflict(error.message, { status: view.status });
          throw error;
        }
        // The update answers with the state it found; the workflow acts on the answer in the same task, so a query
        // now returns the state after it (no longer awaiting, the step running or declined).
        const after = await client.workflow
          .getHandle(workflowIds.brainCommand(view.commandId))
          .query(getStatusQuery)
          .catch(() => accepted);
        return commandResponse(after);
      },
    );
  }
};

export default commands;
