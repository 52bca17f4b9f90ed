import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PendingDeliveries, type Delivery } from '../../src/ingestion/pending-deliveries.js';

const values = (delivery: Delivery<string> | undefined) => delivery?.parts.map((p) => `${p.batchId}/${p.value}`);

describe('PendingDeliveries (what a relay has leased and not yet signalled)', () => {
  it("joins a target's parts from later entries into its next delivery while it waits", () => {
    const pending = new PendingDeliveries<string>();
    pending.add('b1', [
      { target: 'user:a', value: 'a1' },
      { target: 'user:b', value: 'b1' },
    ]);
    pending.add('b2', [{ target: 'user:a', value: 'a2' }]);

    assert.deepEqual(values(pending.next()), ['b1/a1', 'b2/a2'], "user a's parts of both entries, oldest first");
    assert.deepEqual(values(pending.next()), ['b1/b1']);
    assert.equal(pending.next(), undefined);
  });

  it('hands a target out once at a time: parts that arrive meanwhile wait for the next turn', () => {
    const pending = new PendingDeliveries<string>();
    pending.add('b1', [{ target: 'user:a', value: 'first' }]);
    const first = pending.next()!;
    pending.add('b2', [{ target: 'user:a', value: 'second' }]);

    assert.equal(pending.next(), undefined, 'user a is in flight');
    pending.delivered(first);
    assert.deepEqual(values(pending.next()), ['b2/second']);
  });

  it('completes an entry only once every part of it was delivered, each target apart', () => {
    const pending = new PendingDeliveries<string>();
    pending.add('b1', [
      { target: 'user:a', value: 'a' },
      { target: 'creator:c', value: 'c' },
    ]);
    pending.add('b2', [{ target: 'user:a', value: 'a' }]);
    const a = pending.next()!;
    const c = pending.next()!;

    pending.delivered(a);
    assert.deepEqual(pending.takeComplete(), ['b2'], "b1 still waits for the creator's part");
    assert.deepEqual(pending.pendingEntries(), ['b1']);
    pending.delivered(c);
    assert.deepEqual(pending.takeComplete(), ['b1']);
    assert.deepEqual(pending.takeComplete(), [], 'each complete entry is handed out once');
    assert.deepEqual(pending.pendingEntries(), []);
  });

  it('puts a failed delivery back ahead of the parts that arrived for its target meanwhile', () => {
    const pending = new PendingDeliveries<string>();
    pending.add('b1', [{ target: 'user:a', value: 'old' }]);
    const failed = pending.next()!;
    pending.add('b2', [{ target: 'user:a', value: 'new' }]);

    pending.failed(failed);
    assert.deepEqual(pending.takeComplete(), [], 'a failed delivery completes nothing');
    assert.deepEqual(values(pending.next()), ['b1/old', 'b2/new']);
  });

  it('completes an entry without parts at once and ignores an entry it already holds', () => {
    const pending = new PendingDeliveries<string>();
    pending.add('empty', []);
    pending.add('b1', [{ target: 'user:a', value: 'a' }]);
    pending.add('b1', [{ target: 'user:a', value: 'a' }]);

    assert.deepEqual(pending.takeComplete(), ['empty']);
    const delivery = pending.next()!;
    assert.deepEqual(values(delivery), ['b1/a'], 'the entry leased again is not queued twice');
    pending.delivered(delivery);
    assert.deepEqual(pending.takeComplete(), ['b1']);
  });
});
