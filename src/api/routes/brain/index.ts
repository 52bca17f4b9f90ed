import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { INTENT_CATALOG, isValidTimeZone, recognizeIntent } from '../../../nlp/intents/index.js';
import { unprocessable } from '../../problems.js';
import { Clarification, IntentCatalog, Navigation, Utterance } from '../../schemas/brain.js';
import { problemResponses } from '../../schemas/common.js';
import Type from 'typebox';
import commandRoutes from './commands.js';
import { checkNavigation } from './handles.js';
import { clarification, NAVIGATION_INTENTS, navigationTarget } from './plan.js';

/**
 * Brain Mode (issue 8), registered twice: under /api/v1/brain and at the seed client's /api/brain. Voice arrives as
 * the client recogniser's transcript; commands run as BrainCommandWorkflow (workflows/brain-command).
 */
const brain: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/intents',
    {
      schema: {
        summary: 'What Brain Mode understands: intents, examples, slots and which ask for confirmation',
        tags: ['brain'],
        response: { 200: IntentCatalog, ...problemResponses(401, 429) },
      },
    },
    async () => ({
      items: INTENT_CATALOG.map((spec) => ({
        ...spec,
        slots: spec.slots.map((slot) => ({ ...slot, ...(slot.fallback ? { fallback: [...slot.fallback] } : {}) })),
        kind: NAVIGATION_INTENTS.has(spec.name) ? ('navigation' as const) : ('action' as const),
      })),
    }),
  );

  fastify.post(
    '/navigation',
    {
      schema: {
        summary: 'Where the app should go for what the user said (screen + params); nothing is changed',
        tags: ['brain'],
        body: Utterance,
        response: { 200: Type.Union([Navigation, Clarification]), ...problemResponses(400, 401, 422, 429) },
      },
    },
    async (request) => {
      const { text, timezone, locale, asrConfidence } = request.body;
      if (!isValidTimeZone(timezone))
        throw unprocessable('Unknown time zone', [{ path: '/timezone', message: timezone }]);
      const r = recognizeIntent(text, { timezone, nowMs: Date.now(), locale, asrConfidence });
      if (r.kind === 'clarify') return clarification(r.reason, r.candidates);
      if (!NAVIGATION_INTENTS.has(r.intent)) {
        throw unprocessable(`"${text}" is a ${r.intent} command, not a place to go; use POST commands`, [
          { path: '/text', message: r.intent },
        ]);
      }
      const { db } = await fastify.mongo.get();
      return checkNavigation(db, {
        kind: 'navigation' as const,
        intent: r.intent,
        confidence: r.confidence,
        target: navigationTarget(r.intent, r.slots),
      });
    },
  );

  await fastify.register(commandRoutes);
};

export default brain;
