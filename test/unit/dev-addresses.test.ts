import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SearchAttributeType } from '@temporalio/common';
import { formatHostPort, hostPortOfUrl, isLoopbackHost, parseHostPort } from '../../src/dev/addresses.js';
import { indexedValueTypeOf, planSearchAttributes } from '../../src/dev/register-search-attributes.js';

describe('service addresses from the environment', () => {
  it('reads host and port of a Temporal address, with the default port when absent', () => {
    assert.deepEqual(parseHostPort('127.0.0.1:7233', 1), { host: '127.0.0.1', port: 7233 });
    assert.deepEqual(parseHostPort('temporal.internal', 7233), { host: 'temporal.internal', port: 7233 });
    assert.deepEqual(parseHostPort('[::1]:7000', 7233), { host: '::1', port: 7000 });
  });

  it('rejects a port that is not one', () => {
    assert.throws(() => parseHostPort('localhost:99999', 1), /Bad port/);
    assert.throws(() => parseHostPort(':7233', 1), /No host/);
  });

  it('takes the first host of a MongoDB URL, past credentials, seed list, path and query', () => {
    assert.deepEqual(hostPortOfUrl('mongodb://127.0.0.1:27018', 27017), { host: '127.0.0.1', port: 27018 });
    assert.deepEqual(hostPortOfUrl('mongodb://u:p%40ss@db1:27019,db2:27020/app?replicaSet=rs0', 27017), {
      host: 'db1',
      port: 27019,
    });
    assert.deepEqual(hostPortOfUrl('redis://localhost/0', 6379), { host: 'localhost', port: 6379 });
    assert.throws(() => hostPortOfUrl('127.0.0.1:6379', 6379), /Not a URL/);
  });

  it('formats IPv6 hosts with brackets so the result can be parsed back', () => {
    assert.equal(formatHostPort({ host: '::1', port: 7233 }), '[::1]:7233');
    assert.deepEqual(parseHostPort(formatHostPort({ host: '::1', port: 7233 }), 1), { host: '::1', port: 7233 });
  });

  it('starts services only on loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['10.0.0.5', 'mongo', '0.0.0.0']) assert.equal(isLoopbackHost(host), false, host);
  });
});

describe('search attribute registration plan', () => {
  const wanted = [
    { name: 'TopTopic', type: SearchAttributeType.KEYWORD },
    { name: 'CreatorScore', type: SearchAttributeType.DOUBLE },
    { name: 'LastEventAt', type: SearchAttributeType.DATETIME },
  ];

  it('maps SDK types onto the operator service enum', () => {
    assert.equal(indexedValueTypeOf(SearchAttributeType.KEYWORD), 2);
    assert.equal(indexedValueTypeOf(SearchAttributeType.DOUBLE), 4);
    assert.equal(indexedValueTypeOf(SearchAttributeType.DATETIME), 6);
  });

  it('adds only what is missing, so registering twice is a no-op', () => {
    const first = planSearchAttributes({}, wanted);
    assert.deepEqual(first, { missing: { TopTopic: 2, CreatorScore: 4, LastEventAt: 6 }, conflicts: [] });
    assert.deepEqual(planSearchAttributes(first.missing, wanted), { missing: {}, conflicts: [] });
  });

  it('reports a name registered with another type instead of adding it', () => {
    const plan = planSearchAttributes({ TopTopic: 1, CreatorScore: 4 }, wanted);
    assert.deepEqual(plan.missing, { LastEventAt: 6 });
    assert.equal(plan.conflicts.length, 1);
    assert.match(plan.conflicts[0] ?? '', /^TopTopic/);
  });
});
