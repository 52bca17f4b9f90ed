import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGroupBatcher } from '../../src/store/group-batcher.js';

/** A flush that can be held open, recording what each call received. */
function recordingFlush() {
  const calls: number[][] = [];
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  return {
    calls,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    flush: async (items: number[]) => {
      calls.push(items);
      await gate;
      return items.map((n) => n * 10);
    },
  };
}

describe('createGroupBatcher (group commit)', () => {
  it('puts items of the same tick into one flush and hands each caller its own result', async () => {
    const rec = recordingFlush();
    const batcher = createGroupBatcher(rec.flush, 100);
    assert.deepEqual(await Promise.all([1, 2, 3].map((n) => batcher.submit(n))), [10, 20, 30]);
    assert.deepEqual(rec.calls, [[1, 2, 3]]);
  });

  it('queues writes made while a flush is in flight and sends them together, in order, after it', async () => {
    const rec = recordingFlush();
    const batcher = createGroupBatcher(rec.flush, 100);
    rec.hold();
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((n) => batcher.submit(n));
    assert.deepEqual(rec.calls, [[1]], 'the queued writes wait for the flush in flight');
    rec.release();
    await Promise.all([first, ...later]);
    assert.deepEqual(rec.calls, [[1], [2, 3, 4]]);
  });

  it('splits a long queue into flushes of at most maxBatch', async () => {
    const rec = recordingFlush();
    const batcher = createGroupBatcher(rec.flush, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)));
    assert.deepEqual(rec.calls, [[1, 2], [3, 4], [5]]);
  });

  it('fails exactly the writes of a failed flush, and keeps going with the next', async () => {
    let calls = 0;
    const batcher = createGroupBatcher(async (items: number[]) => {
      calls++;
      if (items.includes(2)) throw new Error('boom');
      return items;
    }, 2);
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'fulfilled'],
    );
    assert.equal(calls, 2);
    await batcher.submit(4);
    assert.equal(calls, 3, 'a later write flushes again');
  });
});
