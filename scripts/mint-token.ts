/**
 * `npm run token -- alice creator` prints a bearer token for user `alice` with the given roles (default: user),
 * signed with JWT_SECRET and valid for a day, so a new developer can call the API:
 *   curl -H "Authorization: Bearer $(npm run -s token -- alice)" http://127.0.0.1:3000/...
 */
import { isRole, ROLES, type Role } from '../src/api/principal.js';
import { createDevTokenSigner } from '../src/api/token-signer.js';
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

const signer = await createDevTokenSigner(loadConfig()).catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);
console.log(signer.sign(userId, roles));
await signer.close();
