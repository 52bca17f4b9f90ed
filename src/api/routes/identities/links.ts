import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { validateLinks } from '../../../domain/identity.js';
import { updateIdentity } from '../../../store/identities.js';
import { assertCanActFor } from '../../ownership.js';
import { notFound, unprocessable } from '../../problems.js';
import { problemResponses } from '../../schemas/common.js';
import { Identity, IdentityParams, LinksInput } from '../../schemas/identities.js';

/** External links: the list is replaced as a whole, and every refused link is named with its reason. */
const linkRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.put(
    '/identities/:id/links',
    {
      schema: {
        summary: 'Replace the external links (up to 10 http(s) links with a kind)',
        tags: ['identities'],
        params: IdentityParams,
        body: LinksInput,
        response: {
          200: Type.Object({ links: Identity.properties.links }),
          ...problemResponses(400, 403, 404, 422, 429),
        },
      },
    },
    async (request) => {
      assertCanActFor(request.principal, request.params.id);
      const check = validateLinks(request.body.links);
      if (!check.ok) {
        const errors = check.errors.map((e) => ({
          path: e.index === null ? '/links' : `/links/${e.index}`,
          message: e.message,
        }));
        throw unprocessable('Some links were refused', errors);
      }
      const { db } = await fastify.mongo.get();
      const updated = await updateIdentity(db, request.params.id, { links: check.links });
      if (!updated) throw notFound(`No identity ${request.params.id}`);
      return { links: updated.links };
    },
  );
};

export default linkRoutes;
