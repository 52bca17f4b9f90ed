import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { problemFromError } from '../../src/api/problem-from-error.js';
import { canActFor } from '../../src/domain/ownership.js';
import { Refusal } from '../../src/domain/refusal.js';
import { blockRefusal, followRefusal, tipRefusal } from '../../src/domain/social-graph.js';

const free = { targetBlocksActor: false, actorBlocksTarget: false };
const what = (r: Refusal | null) => r && [r.code, r.status, r.message];

void describe('rules shared by the REST routes and Brain Mode steps', () => {
  it('who may act for whom: the user, operators and services', () => {
    assert.equal(canActFor({ userId: 'ann', roles: ['user'] }, 'ann'), true);
    assert.equal(canActFor({ userId: 'bob', roles: ['user', 'creator'] }, 'ann'), false);
    assert.equal(canActFor({ userId: 'ops', roles: ['operator'] }, 'ann'), true);
    assert.equal(canActFor({ userId: 'svc', roles: ['service'] }, 'ann'), true);
  });

  it('follow: not oneself (422); a block either way is the same 403 that does not say who blocked whom', () => {
    assert.equal(followRefusal('ann', 'bob', free), null);
    assert.deepEqual(what(followRefusal('ann', 'ann', free)), [
      'unprocessable',
      422,
      'A user cannot follow themselves',
    ]);
    const blocked = what(followRefusal('ann', 'bob', { ...free, targetBlocksActor: true }));
    assert.deepEqual(blocked, ['forbidden', 403, 'You cannot follow this user']);
    assert.deepEqual(what(followRefusal('ann', 'bob', { ...free, actorBlocksTarget: true })), blocked);
  });

  it('block and tip: not oneself; a tip does not reach someone who blocked the sender', () => {
    assert.equal(blockRefusal('ann', 'bob'), null);
    assert.equal(blockRefusal('ann', 'ann')?.status, 422);
    assert.equal(tipRefusal('ann', 'bob', free), null);
    assert.deepEqual(what(tipRefusal('ann', 'bob', { ...free, targetBlocksActor: true })), [
      'forbidden',
      403,
      'You cannot tip this user',
    ]);
  });

  it('a refusal leaves the API as the problem the route used to throw itself', () => {
    const problem = problemFromError(followRefusal('ann', 'ann', free), undefined);
    assert.deepEqual(
      [problem.status, problem.slug, problem.title, problem.detail, problem.options.errors],
      [
        422,
        'validation-failed',
        'Unprocessable Content',
        'A user cannot follow themselves',
        [{ path: '/id', message: 'is the follower' }],
      ],
    );
    const limited = problemFromError(new Refusal('rate_limited', 'slow down', undefined, 2_500), undefined);
    assert.deepEqual(
      [limited.status, limited.slug, limited.options.headers],
      [429, 'rate-limited', { 'retry-after': '3' }],
    );
  });
});
