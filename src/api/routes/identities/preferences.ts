import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from 'mongodb';
import { checkPreferenceDocument } from '../../../domain/identity.js';
import {
  findIdentity,
  updateIdentity,
  type IdentityDoc,
  type SharedPreferences as SharedPreferencesDoc,
} from '../../../store/identities.js';
import { cacheOptOuts } from '../../../cache/user-signals.js';
import { dropFeed } from '../../../store/feeds.js';
import { findAppPreferences, saveAppPreferences } from '../../../store/preferences.js';
import { signalContentTypeOptOuts } from '../../../workflow-clients/signals.js';
import { assertCanActFor } from '../../ownership.js';
import { notFound, ProblemError, serviceUnavailable, unprocessable } from '../../problems.js';
import { problemResponses } from '../../schemas/common.js';
import { AppParams, AppPreferences, IdentityParams, SharedPreferences } from '../../schemas/identities.js';

/**
 * Preferences are private to their owner (and operators/services): shared ones that every app reads, and one
 * opaque document per app, bounded in size and depth.
 */
const preferenceRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  async function existingIdentity(db: Db, id: string): Promise<IdentityDoc> {
    const identity = await findIdentity(db, id);
    if (!identity) throw notFound(`No identity ${id}`);
    return identity;
  }

  fastify.get(
    '/identities/:id/preferences',
    {
      schema: {
        summary: 'Shared preferences (language, content-type opt-outs, notification settings)',
        tags: ['identities'],
        params: IdentityParams,
        response: { 200: SharedPreferences, ...problemResponses(403, 404, 429) },
      },
    },
    async (request) => {
      assertCanActFor(request.principal, request.params.id);
      const { db } = await fastify.mongo.get();
      return (await existingIdentity(db, request.params.id)).shared;
    },
  );

  fastify.put(
    '/identities/:id/preferences',
    {
      schema: {
        summary: 'Replace the shared preferences',
        description:
          'Content-type opt-outs also reach the interest profile (its `contentTypeOptOuts`, those types at 0) and so ' +
          'the feed. A 503 means they were saved but not yet passed on: repeat the request.',
        tags: ['identities'],
        params: IdentityParams,
        body: SharedPreferences,
        response: { 200: SharedPreferences, ...problemResponses(400, 403, 404, 422, 429, 503) },
      },
    },
    async (request) => {
      const userId = request.params.id;
      assertCanActFor(request.principal, userId);
      const { db } = await fastify.mongo.get();
      const before = await existingIdentity(db, userId);
      const updated = await updateIdentity(db, userId, { shared: request.body });
      if (!updated) throw notFound(`No identity ${userId}`);
      // Not only on a change: a repeat after a 503 must pass the opt-outs on. Users who never opt out cost nothing.
      const optOuts = request.body.contentTypeOptOuts;
      if (optOuts.length > 0 || before.shared.contentTypeOptOuts.length > 0) {
        await Promise.all([cacheOptOuts(fastify.redis, userId, optOuts), dropFeed(fastify.redis, userId)]).catch(
          (error: unknown) => {
            fastify.log.warn({ err: error, userId }, 'content-type opt-outs not cached');
            throw serviceUnavailable('Preferences saved, but the feed could not be told yet; repeat the request');
          },
        );
        await passOnOptOuts(userId, optOuts);
      }
      return updated.shared;
    },
  );

  /** The identity is written first, so a fresh interest workflow would read the opt-outs from it anyway. */
  async function passOnOptOuts(userId: string, optOuts: SharedPreferencesDoc['contentTypeOptOuts']): Promise<void> {
    const { client } = await fastify.temporal.get();
    try {
      await signalContentTypeOptOuts(client, fastify.config, userId, optOuts);
    } catch (error) {
      fastify.log.warn({ err: error, userId }, 'content-type opt-outs not passed on');
      throw serviceUnavailable('Preferences saved, but the interest profile could not be told yet; repeat the request');
    }
  }

  fastify.get(
    '/identities/:id/preferences/:app',
    {
      schema: {
        summary: "An app's preference document, with the shared preferences",
        tags: ['identities'],
        params: AppParams,
        response: { 200: AppPreferences, ...problemResponses(403, 404, 429) },
      },
    },
    async (request) => {
      const { id, app } = request.params;
      assertCanActFor(request.principal, id);
      const { db } = await fastify.mongo.get();
      const identity = await existingIdentity(db, id);
      const stored = await findAppPreferences(db, id, app);
      return {
        app,
        preferences: stored?.document ?? {},
        shared: identity.shared,
        updatedAt: stored?.updatedAt.toISOString() ?? null,
      };
    },
  );

  fastify.put(
    '/identities/:id/preferences/:app',
    {
      schema: {
        summary: "Replace an app's preference document (a JSON object; 413 when too large, 422 when too deep)",
        tags: ['identities'],
        params: AppParams,
        response: { 200: AppPreferences, ...problemResponses(400, 403, 404, 413, 422, 429) },
      },
    },
    async (request) => {
      const { id, app } = request.params;
      assertCanActFor(request.principal, id);
      const check = checkPreferenceDocument(request.body);
      if (!check.ok && check.status === 413) {
        throw new ProblemError(413, 'payload-too-large', 'Payload Too Large', `Preferences: ${check.reason}`);
      }
      if (!check.ok) throw unprocessable(`Preferences: ${check.reason}`, [{ path: '', message: check.reason }]);
      const { db } = await fastify.mongo.get();
      const identity = await existingIdentity(db, id);
      const saved = await saveAppPreferences(db, id, app, request.body as Record<string, unknown>);
      return { app, preferences: saved.document, shared: identity.shared, updatedAt: saved.updatedAt.toISOString() };
    },
  );
};

export default preferenceRoutes;
