import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { hasAnyRole } from '../../principal.js';
import { forbidden, serviceUnavailable, unprocessable } from '../../problems.js';
import { problemResponses } from '../../schemas/common.js';
import { EventBatch, EventBatchResult } from '../../schemas/events.js';
import { recordSeen } from '../../../cache/user-signals.js';
import { IngestDeadlineExceeded, ingestDeadlineMs, storeEventBatch } from '../../../store/event-batches.js';
import { eventKey, type EventDoc } from '../../../store/events.js';
import { validateBatch } from './validate-batch.js';

/**
 * POST /events: store a batch of engagement events, then let the relay hand them to the workflows.
 * Order of writes (see store/event-outbox.ts): outbox entry → events stamped with its batchId → entry ready.
 * A crash anywhere loses nothing: stored events are always reachable from an entry the relay will drain.
 */
const eventRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/events',
    {
      schema: {
        summary: 'Ingest a batch of 1–1000 engagement events (idempotent per user and eventId)',
        description: 'See docs/events.md for what events count toward creator stats and what duplicate means.',
        tags: ['events'],
        body: EventBatch,
        response: { 202: EventBatchResult, ...problemResponses(400, 401, 403, 413, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const now = new Date();
      const { valid, rejected } = validateBatch(request.body.events, now.getTime());
      if (valid.length === 0) {
        throw unprocessable(
          'No event in the batch is valid',
          rejected.flatMap((r) => r.errors),
        );
      }
      // Trusted producers send for anyone; everyone else only for themselves (checked before anything is written).
      if (!hasAnyRole(principal, ['operator', 'service'])) {
        const foreign = valid.find((v) => v.event.userId !== principal.userId);
        if (foreign)
          throw forbidden(`You may only send events for yourself (item ${foreign.index} is for another user)`);
      }

      const { db } = await fastify.mongo.get();
      const batchId = randomUUID();
      // The client's creatorId is kept as it was sent, but the relay credits the catalog's creator (docs/events.md).
      const docs: Array<Omit<EventDoc, 'batchId'>> = valid.map(({ event: { occurredAt, ...rest } }) => ({
        ...rest,
        _id: eventKey(rest.userId, rest.eventId),
        occurredAt: new Date(occurredAt),
        receivedAt: now,
      }));
      // Past its deadline a request writes nothing more and answers 503; what it stored is relayed as a stale batch.
      const { duplicates } = await storeEventBatch(db, batchId, docs, now, {
        deadlineMs: ingestDeadlineMs(fastify.config.OUTBOX_STALE_MS),
      }).catch((error: unknown) => {
        if (error instanceof IngestDeadlineExceeded) throw serviceUnavailable(error.message);
        throw error;
      });
      // Seen items leave the feed at once; a lost write here is restored by the next rebuild of the hot cache.
      await recordSeen(fastify.redis, docs).catch((error: unknown) =>
        request.log.warn({ err: error }, 'seen items not cached'),
      );

      // Duplicate: this user's eventId was stored before, or an earlier item of this batch carries it.
      const earlier = new Set<string>();
      reply.code(202);
      return {
        batchId,
        accepted: docs.map((doc, i) => {
          const repeat = earlier.has(doc._id);
          earlier.add(doc._id);
          const { index, event } = valid[i]!;
          return { index, eventId: event.eventId, duplicate: repeat || duplicates.has(doc._id) };
        }),
        rejected,
      };
    },
  );
};

export default eventRoutes;
