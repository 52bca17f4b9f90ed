/**
 * `npm run token -- alice creator` prints a bearer token for user `alice` with the given roles (default: user),
 * signed with JWT_SECRET and valid for a day, so a new developer can call the API:
 *   curl -H "Authorization: Bearer $(npm run -s token -- alice)" http://127.0.0.1:3000/...
 */
import fastifyJwt from '@fastify/jwt';
import Fastify from 'fastify';
import { isRole, ROLES, type Role } from '../src/api/principal.js';
import { DEV_TOKEN_EXPIRY, jwtOptions } from '../src/api/tokens.js';
import { loadConfig } from '../src/config.js';

const USAGE = `usage: npm run token -- <userId> [${ROLES.join('|')} ...]`;
const [userId, ...roleArgs] = process.argv.slice(2);

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(1);
}

if (!userId || !/^[A-Za-z0-9_.:-]{1,64}$/.test(userId)) fail('A user id (1-64 of A-Z a-z 0-9 _ . : -) is required.');
const unknown = roleArgs.filter((role) => !isRole(role));
if (unknown.length > 0) fail(`Unknown role(s): ${unknown.join(', ')}.`);
const roles: Role[] = roleArgs.length > 0 ? roleArgs.filter(isRole) : ['user'];

const config = loadConfig();
// Same rule as the dev-token route: a production secret is not for minting tokens by hand.
if (config.NODE_ENV === 'production') fail('Refusing to mint a dev token with NODE_ENV=production.');

// The API's own JWT options, so the token carries exactly what the API checks (algorithm, issuer).
const signer = Fastify({ logger: false });
await signer.register(fastifyJwt, jwtOptions(config));
await signer.ready();
console.log(signer.jwt.sign({ sub: userId, roles }, { expiresIn: DEV_TOKEN_EXPIRY }));
await signer.close();
