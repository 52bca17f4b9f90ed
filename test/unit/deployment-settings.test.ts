import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCorsOrigins, parseTrustProxy } from '../../src/api/deployment-settings.js';

describe('CORS_ORIGINS', () => {
  it('takes exact origins, comma-separated', () => {
    assert.deepEqual(parseCorsOrigins(' https://app.example.com, http://localhost:5173 '), [
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    assert.deepEqual(parseCorsOrigins(''), []);
  });

  it('refuses wildcards, paths and non-origins, naming the variable', () => {
    for (const bad of ['*', 'https://app.example.com/', 'app.example.com', 'https://*.example.com', 'ftp://x.y']) {
      assert.throws(() => parseCorsOrigins(bad), /^Error: CORS_ORIGINS: /, bad);
    }
  });
});

describe('TRUST_PROXY', () => {
  it('is off when empty, takes IPs and CIDRs, or a hop count', () => {
    assert.equal(parseTrustProxy(''), false);
    assert.deepEqual(parseTrustProxy('10.0.0.0/8, 127.0.0.1,::1'), ['10.0.0.0/8', '127.0.0.1', '::1']);
    const hops = parseTrustProxy('1');
    assert.equal(typeof hops, 'function');
    const trust = hops as (address: string, hop: number) => boolean;
    assert.deepEqual([trust('10.0.0.1', 0), trust('10.0.0.2', 1)], [true, false]);
  });

  it('refuses what is neither an address nor a range, naming the variable', () => {
    for (const bad of ['true', '10.0.0.0/33', 'proxy.local', '0', '1.2.3.4/8/1', '11']) {
      assert.throws(() => parseTrustProxy(bad), /^Error: TRUST_PROXY: /, bad);
    }
  });
});
