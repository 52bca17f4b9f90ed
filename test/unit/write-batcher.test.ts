import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWriteBatcher } from '../../src/store/write-batcher.js';

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
    },
  };
}

describe('createWriteBatcher (group commit)', () => {
  it('puts writes of the same tick into one flush', async () => {
    const rec = recordingFlush();
    const batcher = createWriteBatcher(rec.flush, 100);
    await Promise.all([1, 2, 3].map((n) => batcher.write(n)));
    assert.deepEqual(rec.calls, [[1, 2, 3]]);
  });

  it('queues writes made while a flush is in flight and sends them together, in order, after it', async () => {
    const rec = recordingFlush();
    const batcher = createWriteBatcher(rec.flush, 100);
    rec.hold();
    const first = batcher.write(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((n) => batcher.write(n));
    assert.deepEqual(rec.calls, [[1]], 'the queued writes wait for the flush in flight');
    rec.release();
    await Promise.all([first, ...later]);
    assert.deepEqual(rec.calls, [[1], [2, 3, 4]]);
  });

  it('splits a long queue into flushes of at most maxBatch', async () => {
    const rec = recordingFlush();
    const batcher = createWriteBatcher(rec.flush, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.write(n)));
    assert.deepEqual(rec.calls, [[1, 2], [3, 4], [5]]);
  });

  it('fails exactly the writes of a failed flush, and keeps going with the next', async () => {
    let calls = 0;
    const batcher = createWriteBatcher(async (items: number[]) => {
      calls++;
      if (items.includes(2)) throw new Error('boom');
    }, 2);
    const results = await Promise.allSettled([1, 2, 3].map((n) => batcher.write(n)));
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'fulfilled'],
    );
    assert.equal(calls, 2);
    await batcher.write(4);
    assert.equal(calls, 3, 'a later write flushes again');
  });
});
