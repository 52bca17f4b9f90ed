import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { temporalSecurity } from '../../src/temporal/connection-options.js';

/** Temporal TLS / API-key settings: what start-up accepts, and the message it fails with otherwise. */
const dir = mkdtempSync(join(tmpdir(), 'temporal-tls-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const CA = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const CERT = file('client.pem', '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n');
const KEY = file('client.key', '-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n');
const NOT_PEM = file('junk.txt', 'hello');

const security = (env: Record<string, string>) => temporalSecurity(loadConfig(env));

describe('Temporal connection security settings', () => {
  it('connects in plaintext when nothing is set (the local dev server)', () => {
    assert.deepEqual(security({}), {});
  });

  it('reads the CA, the client pair and the server name into the TLS options', () => {
    const { tls, apiKey } = security({
      TEMPORAL_TLS_CA_PATH: CA,
      TEMPORAL_TLS_CERT_PATH: CERT,
      TEMPORAL_TLS_KEY_PATH: KEY,
      TEMPORAL_TLS_SERVER_NAME: 'ns.acct.tmprl.cloud',
    });
    assert.equal(apiKey, undefined);
    assert.ok(tls);
    assert.equal(tls.serverNameOverride, 'ns.acct.tmprl.cloud');
    assert.match(tls.serverRootCACertificate?.toString() ?? '', /MIIB/);
    assert.match(tls.clientCertPair?.crt.toString() ?? '', /MIIC/);
    assert.match(tls.clientCertPair?.key.toString() ?? '', /MHcC/);
  });

  it('turns TLS on for an API key (Temporal Cloud) with the system roots', () => {
    assert.deepEqual(security({ TEMPORAL_API_KEY: 'key-123' }), { tls: {}, apiKey: 'key-123' });
    assert.deepEqual(security({ TEMPORAL_TLS: 'true' }), { tls: {} });
  });

  it('refuses half a client certificate pair, naming both variables', () => {
    assert.throws(
      () => security({ TEMPORAL_TLS_CERT_PATH: CERT }),
      /TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together.*only the certificate/,
    );
    assert.throws(() => security({ TEMPORAL_TLS_KEY_PATH: KEY }), /only the key is set/);
  });

  it('names the variable whose file is missing or is not PEM', () => {
    assert.throws(
      () => security({ TEMPORAL_TLS_CA_PATH: join(dir, 'absent.pem') }),
      /TEMPORAL_TLS_CA_PATH: cannot read .*absent\.pem \(ENOENT\)/,
    );
    assert.throws(
      () => security({ TEMPORAL_TLS_CA_PATH: NOT_PEM }),
      /TEMPORAL_TLS_CA_PATH: .*junk\.txt is not a PEM certificate/,
    );
    assert.throws(
      () => security({ TEMPORAL_TLS_CERT_PATH: CERT, TEMPORAL_TLS_KEY_PATH: CERT }),
      /TEMPORAL_TLS_KEY_PATH: .* is not a PEM private key/,
    );
  });

  it('refuses TEMPORAL_TLS=false beside TLS files, and an API key in plaintext in production', () => {
    assert.throws(
      () => security({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA_PATH: CA }),
      /TEMPORAL_TLS=false contradicts TEMPORAL_TLS_CA_PATH/,
    );
    assert.throws(
      () =>
        security({
          TEMPORAL_TLS: 'false',
          TEMPORAL_API_KEY: 'k',
          NODE_ENV: 'production',
          JWT_SECRET: 'a-real-secret-of-enough-length',
        }),
      /TEMPORAL_API_KEY must not be sent without TLS in production/,
    );
    // A local server that checks API keys without TLS (development only).
    assert.deepEqual(security({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }), { tls: false, apiKey: 'k' });
  });

  it('rejects a TEMPORAL_TLS that is not a boolean, naming it', () => {
    assert.throws(() => loadConfig({ TEMPORAL_TLS: 'maybe' }), /TEMPORAL_TLS/);
  });
});

describe('start-up with bad Temporal settings', () => {
  for (const [name, entry] of [
    ['worker', 'src/worker/main.ts'],
    ['API', 'src/api/server.ts'],
  ] as const) {
    it(`the ${name} exits 1 with a line naming the variable, before connecting anywhere`, () => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', entry], {
        env: { ...process.env, TEMPORAL_TLS_CERT_PATH: CERT, TEMPORAL_ADDRESS: '127.0.0.1:1' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(result.status, 1, result.stderr);
      assert.match(
        result.stderr,
        /Invalid configuration: TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together/,
      );
    });
  }
});
