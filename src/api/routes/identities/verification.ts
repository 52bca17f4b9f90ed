import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { validateLinks } from '../../../domain/identity.js';
import { findIdentity } from '../../../store/identities.js';
import {
  decideVerification,
  startVerification,
  verificationState,
} from '../../../workflow-clients/identity-workflows.js';
import { workflowIds } from '../../../../workflows/ids.js';
import { idempotent } from '../../idempotency.js';
import { assertCanActFor } from '../../ownership.js';
import { requireRole } from '../../principal.js';
import { conflict, notFound, unprocessable } from '../../problems.js';
import { IdempotencyKeyHeaders, problemResponses } from '../../schemas/common.js';
import {
  Accepted,
  IdentityParams,
  Verification,
  VerificationDecisionInput,
  VerificationRequest,
} from '../../schemas/identities.js';
import { identityLocation, isoOrNull } from './views.js';

/** Creators ask for verification with evidence; operators decide (here, or with the `decide` signal in the UI). */
const verificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const location = (userId: string) => `${identityLocation(userId)}/verification`;

  fastify.post(
    '/identities/:id/verification',
    {
      preHandler: requireRole('creator', 'operator', 'service'),
      schema: {
        summary: 'Request verification with evidence links (creators)',
        tags: ['identities'],
        headers: IdempotencyKeyHeaders,
        params: IdentityParams,
        body: VerificationRequest,
        response: { 201: Verification, ...problemResponses(400, 403, 404, 409, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const userId = request.params.id;
      assertCanActFor(request.principal, userId);
      const { db } = await fastify.mongo.get();
      const result = await idempotent(db, request, `verification:${userId}`, async () => {
        const check = validateLinks(request.body.evidence);
        if (!check.ok) {
          const errors = check.errors.map((e) => ({
            path: e.index === null ? '/evidence' : `/evidence/${e.index}`,
            message: e.message,
          }));
          throw unprocessable('Some evidence links were refused', errors);
        }
        const identity = await findIdentity(db, userId);
        if (!identity) throw notFound(`No identity ${userId}`);
        if (identity.verified) throw conflict(`${userId} is already verified`);
        const { client } = await fastify.temporal.get();
        const requestedAt = new Date();
        if (!(await startVerification(client, fastify.config, userId, check.links, requestedAt))) {
          throw conflict(`A verification request for ${userId} is already open`);
        }
        const body = {
          userId,
          status: 'pending' as const,
          evidence: check.links,
          requestedAt: requestedAt.toISOString(),
          waitUntil: null,
          workflowId: workflowIds.verification(userId),
        };
        return { status: 201, body };
      });
      return reply.code(201).header('location', location(userId)).send(result.body);
    },
  );

  fastify.get(
    '/identities/:id/verification',
    {
      schema: {
        summary: 'The current or last verification request',
        tags: ['identities'],
        params: IdentityParams,
        response: { 200: Verification, ...problemResponses(403, 404, 429, 503) },
      },
    },
    async (request) => {
      const userId = request.params.id;
      assertCanActFor(request.principal, userId);
      const { client } = await fastify.temporal.get();
      const state = await verificationState(client, userId);
      if (!state) throw notFound(`No verification request for ${userId}`);
      return {
        userId,
        status: state.status,
        evidence: state.evidence,
        requestedAt: isoOrNull(state.requestedAtMs),
        waitUntil: isoOrNull(state.waitUntilMs),
        workflowId: workflowIds.verification(userId),
      };
    },
  );

  fastify.post(
    '/identities/:id/verification/decision',
    {
      preHandler: requireRole('operator'),
      schema: {
        summary: 'Approve or reject an open verification request (operators)',
        tags: ['identities'],
        params: IdentityParams,
        body: VerificationDecisionInput,
        response: { 202: Accepted, ...problemResponses(400, 403, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const userId = request.params.id;
      const operatorId = request.principal?.userId ?? '';
      const { client } = await fastify.temporal.get();
      const decision = { ...request.body, operatorId };
      const outcome = await decideVerification(client, userId, decision);
      if (!outcome.decided && outcome.status === null) throw conflict(`No verification request for ${userId}`);
      if (!outcome.decided) {
        throw conflict(`The verification request of ${userId} is already ${outcome.status}`, {
          currentStatus: outcome.status,
        });
      }
      return reply.code(202).send({ status: 'accepted' as const, location: location(userId) });
    },
  );
};

export default verificationRoutes;
