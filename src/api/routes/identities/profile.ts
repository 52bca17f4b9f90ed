import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findIdentity, updateIdentity } from '../../../store/identities.js';
import type { Db } from 'mongodb';
import { progressBeforeOnboarding } from '../../../store/onboarding-progress.js';
import { startOnboarding } from '../../../workflow-clients/identity-workflows.js';
import { signalOnboardingProgress } from '../../../workflow-clients/signals.js';
import { idempotent } from '../../idempotency.js';
import { assertCanActFor } from '../../ownership.js';
import { notFound, unprocessable } from '../../problems.js';
import { IdempotencyKeyHeaders, problemResponses } from '../../schemas/common.js';
import {
  HandleChange,
  HandleRedirect,
  Identity,
  IdentityCreate,
  IdentityParams,
  IdentityPatch,
  LookupParams,
} from '../../schemas/identities.js';
import { resolveHandle } from '../../../store/identity-lookup.js';
import { checkedHandle, createIdentity, renameIdentity } from './handle-claims.js';
import { handleLocation, identityLocation, identityView } from './views.js';

/** Claim, read, edit and rename identities. */
const identityProfileRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/identities',
    {
      schema: {
        summary: 'Create an identity by claiming a handle (starts onboarding)',
        tags: ['identities'],
        headers: IdempotencyKeyHeaders,
        body: IdentityCreate,
        response: { 201: Identity, ...problemResponses(400, 403, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const { handle: rawHandle, userId: forUser, ...profile } = request.body;
      const userId = forUser ?? request.principal?.userId ?? '';
      assertCanActFor(request.principal, userId);
      const { db } = await fastify.mongo.get();
      const result = await idempotent(db, request, 'identities', async () => {
        const handle = checkedHandle(rawHandle);
        const doc = await createIdentity(db, userId, handle, profile, new Date());
        await beginOnboarding(db, userId, handle);
        return { status: 201, body: identityView(doc) };
      });
      return reply.code(201).header('location', identityLocation(result.body.id)).send(result.body);
    },
  );

  /**
   * Onboarding is best effort here: the identity is the record, and an operator can start onboarding later. Follows
   * and engagements from before the claim are passed on after the start (a repeat of a done step changes nothing),
   * so one made while this runs is counted either way.
   */
  async function beginOnboarding(db: Db, userId: string, handle: string): Promise<void> {
    try {
      const { client } = await fastify.temporal.get();
      await startOnboarding(client, fastify.config, userId, handle);
      for (const event of await progressBeforeOnboarding(db, userId)) {
        await signalOnboardingProgress(client, userId, event);
      }
    } catch (error) {
      fastify.log.warn({ err: error, userId }, 'onboarding not started');
    }
  }

  fastify.get(
    '/identities/:idOrHandle',
    {
      schema: {
        summary: 'Read an identity by user id, or by handle written with a leading @ (/identities/@alice)',
        description:
          'A bare value is a user id and only ever matches that user; `@handle` (any case) is a handle and only ' +
          'ever matches a handle. A handle renamed away answers 307 to `@` the current handle during its cooldown.',
        tags: ['identities'],
        params: LookupParams,
        response: { 200: Identity, 307: HandleRedirect, ...problemResponses(404, 429) },
      },
    },
    async (request, reply) => {
      const { idOrHandle } = request.params;
      const { db } = await fastify.mongo.get();
      if (!idOrHandle.startsWith('@')) {
        const identity = await findIdentity(db, idOrHandle);
        if (!identity) throw notFound(`No identity has the user id "${idOrHandle}"`);
        return identityView(identity);
      }
      const found = await resolveHandle(db, idOrHandle.slice(1), new Date());
      if (!found) throw notFound(`No identity has the handle "${idOrHandle}"`);
      if ('redirectTo' in found) {
        const location = handleLocation(found.redirectTo);
        return reply.code(307).header('location', location).send({ redirectTo: found.redirectTo, location });
      }
      return identityView(found.identity);
    },
  );

  fastify.patch(
    '/identities/:id',
    {
      schema: {
        summary: 'Edit display name, bio, avatar URL, locale or time zone',
        tags: ['identities'],
        params: IdentityParams,
        body: IdentityPatch,
        response: { 200: Identity, ...problemResponses(400, 403, 404, 422, 429) },
      },
    },
    async (request) => {
      assertCanActFor(request.principal, request.params.id);
      const { timezone } = request.body;
      if (timezone && !isTimeZone(timezone)) {
        throw unprocessable(`Unknown time zone "${timezone}"`, [
          { path: '/timezone', message: 'Not an IANA time zone' },
        ]);
      }
      const { db } = await fastify.mongo.get();
      const updated = await updateIdentity(db, request.params.id, request.body);
      if (!updated) throw notFound(`No identity ${request.params.id}`);
      return identityView(updated);
    },
  );

  fastify.put(
    '/identities/:id/handle',
    {
      schema: {
        summary: 'Rename: the old handle stays reserved and redirects for the cooldown',
        description:
          'At most HANDLE_RENAME_LIMIT renames per HANDLE_RENAME_PERIOD_DAYS (429 with Retry-After past it); ' +
          'taking back an old handle still reserved for you does not count.',
        tags: ['identities'],
        params: IdentityParams,
        body: HandleChange,
        response: { 200: Identity, ...problemResponses(400, 403, 404, 409, 422, 429) },
      },
    },
    async (request) => {
      assertCanActFor(request.principal, request.params.id);
      const handle = checkedHandle(request.body.handle);
      const { db } = await fastify.mongo.get();
      const identity = await findIdentity(db, request.params.id);
      if (!identity) throw notFound(`No identity ${request.params.id}`);
      const { HANDLE_RENAME_COOLDOWN_DAYS, HANDLE_RENAME_LIMIT, HANDLE_RENAME_PERIOD_DAYS } = fastify.config;
      const rules = {
        cooldownDays: HANDLE_RENAME_COOLDOWN_DAYS,
        limit: { max: HANDLE_RENAME_LIMIT, periodDays: HANDLE_RENAME_PERIOD_DAYS },
      };
      await renameIdentity(db, identity, handle, rules, new Date());
      return identityView((await findIdentity(db, identity._id)) ?? identity);
    },
  );
};

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export default identityProfileRoutes;
