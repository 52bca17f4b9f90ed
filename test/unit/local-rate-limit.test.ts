import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalBudget, type SharedSpend } from '../../src/api/plugins/rate-limit-local.js';
import { VerifiedTokenCache } from '../../src/api/plugins/auth-cache.js';

/** A Redis counter in memory: fixed windows that start with their first unit, as consumeRateLimit's script. */
function sharedCounter(now: () => number) {
  const counts = new Map<string, { count: number; resetAtMs: number }>();
  const calls: Array<{ key: string; cost: number }> = [];
  const spend: SharedSpend = async (key, limit, cost) => {
    calls.push({ key, cost });
    let entry = counts.get(key);
    if (!entry || now() >= entry.resetAtMs) counts.set(key, (entry = { count: 0, resetAtMs: now() + limit.windowMs }));
    entry.count += cost;
    return { current: entry.count, ttlMs: entry.resetAtMs - now(), exceeded: entry.count > limit.max };
  };
  return { spend, calls, count: (key: string) => counts.get(key)?.count ?? 0 };
}

describe('LocalBudget (per-process front of the Redis limiter)', () => {
  const limit = { max: 10, windowMs: 60_000 };

  it('spends in Redis for the first request, locally up to half the limit, then in Redis on every request', async () => {
    const nowMs = 1_000;
    const shared = sharedCounter(() => nowMs);
    const budget = new LocalBudget({ syncMs: 1_000_000, spend: shared.spend, now: () => nowMs });
    const currents = [];
    for (let i = 0; i < 12; i++) currents.push((await budget.consume('user:a', limit)).current);
    assert.deepEqual(currents, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 'every request counted, in order');
    // 1 in Redis, 2–5 local (≤ half of 10), then request 6 carries the 4 pending ones, and each later one alone.
    assert.deepEqual(
      shared.calls.map((c) => c.cost),
      [1, 5, 1, 1, 1, 1, 1, 1],
    );
    assert.equal(shared.count('user:a'), 12, 'Redis holds the exact count once past half the limit');
    await budget.close();
  });

  it('brings pending spends to Redis on sync, so other processes see them', async () => {
    let nowMs = 0;
    const shared = sharedCounter(() => nowMs);
    const budget = new LocalBudget({ syncMs: 1_000_000, spend: shared.spend, now: () => nowMs });
    for (let i = 0; i < 4; i++) await budget.consume('user:b', limit);
    assert.equal(shared.count('user:b'), 1);
    nowMs += 100;
    await budget.sync();
    assert.equal(shared.count('user:b'), 4);
    await budget.sync();
    assert.equal(shared.count('user:b'), 4, 'a sync with nothing pending spends nothing');
    await budget.close();
  });

  it('starts a new window in Redis after the old one ends, dropping what was pending in it', async () => {
    let nowMs = 0;
    const shared = sharedCounter(() => nowMs);
    const budget = new LocalBudget({ syncMs: 1_000_000, spend: shared.spend, now: () => nowMs });
    for (let i = 0; i < 3; i++) await budget.consume('user:c', limit);
    nowMs += limit.windowMs;
    const first = await budget.consume('user:c', limit);
    assert.equal(first.current, 1, 'a fresh window');
    assert.equal(first.ttlMs, limit.windowMs);
    await budget.close();
    assert.equal(shared.count('user:c'), 1);
  });

  it('refuses from the first sync after other processes spent the rest of the budget', async () => {
    const nowMs = 0;
    const shared = sharedCounter(() => nowMs);
    const budget = new LocalBudget({ syncMs: 1_000_000, spend: shared.spend, now: () => nowMs });
    await budget.consume('user:d', limit);
    await shared.spend('user:d', limit, 9); // another API process, or a Brain Mode step, spent the rest
    assert.equal((await budget.consume('user:d', limit)).current, 2, 'not seen yet: within one sync interval');
    await budget.sync();
    const next = await budget.consume('user:d', limit);
    assert.equal(next.current, 12);
    assert.ok(next.current > limit.max, 'refused');
    await budget.close();
  });

  it('lets requests through uncounted when the sync to Redis fails', async () => {
    let fail = false;
    const shared = sharedCounter(() => 0);
    const spend: SharedSpend = (key, l, cost) =>
      fail ? Promise.reject(new Error('down')) : shared.spend(key, l, cost);
    const budget = new LocalBudget({ syncMs: 1_000_000, spend, now: () => 0 });
    await budget.consume('user:e', limit);
    await budget.consume('user:e', limit);
    fail = true;
    await budget.sync();
    fail = false;
    await budget.sync();
    assert.equal(shared.count('user:e'), 1);
  });
});

describe('VerifiedTokenCache', () => {
  it('keeps a verified token until its exp or the age cap, whichever is first', () => {
    const cache = new VerifiedTokenCache<string>(10, 60_000);
    cache.set('soon', 'alice', 100, 90_000); // exp at 100 s
    cache.set('later', 'bob', 10_000, 90_000);
    cache.set('no-exp', 'carol', undefined, 90_000);
    assert.equal(cache.get('soon', 99_999), 'alice');
    assert.equal(cache.get('soon', 100_000), undefined, 'expired with its token');
    assert.equal(cache.get('later', 149_999), 'bob');
    assert.equal(cache.get('later', 150_000), undefined, 'capped at 60 s however long the token lives');
    assert.equal(cache.get('no-exp', 150_000), undefined);
  });

  it('does not store an already expired token and evicts the oldest when full', () => {
    const cache = new VerifiedTokenCache<string>(2, 60_000);
    cache.set('old', 'x', 10, 20_000);
    assert.equal(cache.size, 0);
    cache.set('a', 'a', undefined, 0);
    cache.set('b', 'b', undefined, 0);
    cache.set('c', 'c', undefined, 0);
    assert.deepEqual(
      ['a', 'b', 'c'].map((t) => cache.get(t, 1)),
      [undefined, 'b', 'c'],
    );
  });
});
