import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { assertProblem } from './support/problem.js';
import { testRoutes } from './support/test-routes.js';

/** A stand-in identity provider on loopback: one RSA key published as a JWKS. */
function identityProvider(): { server: Server; privateKey: string; otherPrivateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    if (req.url !== '/idp/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  return {
    server,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    otherPrivateKey: other.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

describe('tokens from a JWKS (JWT_JWKS_URL)', () => {
  const idp = identityProvider();
  let app: ApiInstance;

  before(async () => {
    await new Promise<void>((resolve) => idp.server.listen(0, '127.0.0.1', resolve));
    const { port } = idp.server.address() as AddressInfo;
    app = buildApp(testConfig(import.meta.filename, { JWT_JWKS_URL: `http://127.0.0.1:${port}/idp/jwks.json` }));
    await app.register(testRoutes);
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await new Promise<void>((resolve) => idp.server.close(() => resolve()));
  });

  const rs256 = (key: string, kid: string, sub: string) =>
    `Bearer ${app.jwt.sign({ sub, roles: ['user'] }, { key, algorithm: 'RS256', kid })}`;
  const putSettings = (userId: string, authorization: string) =>
    app.inject({ method: 'PUT', url: `/test/users/${userId}/settings`, headers: { authorization } });

  it('accepts an RS256 token signed by a published key', async () => {
    const res = await putSettings('erin', rs256(idp.privateKey, 'key-1', 'erin'));
    assert.deepEqual(res.json(), { actor: 'erin', roles: ['user'] });
  });

  it('rejects a token whose key is not published, or signed by another key under a published kid', async () => {
    assertProblem(await putSettings('erin', rs256(idp.privateKey, 'key-unknown', 'erin')), 401, 'unauthorized');
    assertProblem(await putSettings('erin', rs256(idp.otherPrivateKey, 'key-1', 'erin')), 401, 'unauthorized');
  });

  it('still accepts HS256 tokens signed with JWT_SECRET', async () => {
    assert.equal((await putSettings('erin', await bearer(app, 'erin'))).statusCode, 200);
  });
});
