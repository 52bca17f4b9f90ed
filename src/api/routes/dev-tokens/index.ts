import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../schemas/common.js';
import { DevToken, DevTokenRequest } from '../../schemas/dev-tokens.js';
import { DEV_TOKEN_EXPIRY } from '../../tokens.js';

const ONE_DAY_MS = 24 * 3600 * 1000;

/**
 * Mints a bearer token for any user and roles, so a new developer can try the API from /docs or curl.
 * app.ts registers this only when DEV_TOKENS is true and NODE_ENV is not production. Public: it is where a token
 * comes from.
 */
const devTokens: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/tokens',
    {
      config: { public: true },
      schema: {
        summary: 'Mint a development token (dev only)',
        tags: ['dev'],
        body: DevTokenRequest,
        response: { 200: DevToken, ...problemResponses(400, 422, 429) },
      },
    },
    async (request) => {
      const { userId, roles } = request.body;
      const token = fastify.jwt.sign({ sub: userId, roles }, { expiresIn: DEV_TOKEN_EXPIRY });
      return { token, expiresAt: new Date(Date.now() + ONE_DAY_MS).toISOString() };
    },
  );
};

export default devTokens;
