import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecentIds } from '../../src/domain/recent-ids.js';
import { dropRepeated, Inbox } from '../../workflows/entity/inbox.js';
import { WriteDebounce } from '../../workflows/entity/write-debounce.js';

describe('entity workflow inbox', () => {
  it('hands over everything received, oldest first, carried items before new ones, and is empty afterwards', () => {
    const inbox = new Inbox(['carried']);
    inbox.push('a', 'b');
    assert.equal(inbox.size, 3);
    assert.deepEqual(inbox.take(), ['carried', 'a', 'b']);
    assert.equal(inbox.size, 0);
    inbox.push('c');
    assert.deepEqual(inbox.take(), ['c']);
  });

  it('does not share its carried array with the caller', () => {
    const carried = ['x'];
    const inbox = new Inbox(carried);
    inbox.take();
    assert.deepEqual(carried, ['x']);
  });

  it('drops ids seen before, within one batch and across batches, and counts them', () => {
    const recent = new RecentIds(['old']);
    const first = dropRepeated(['old', 'a', 'a', 'b'], (id) => id, recent);
    assert.deepEqual(first, { fresh: ['a', 'b'], dropped: 2 });
    assert.deepEqual(
      dropRepeated(['b', 'c'], (id) => id, recent),
      { fresh: ['c'], dropped: 1 },
    );
  });
});

describe('entity workflow write debounce', () => {
  const INTERVAL = 1_000;

  it('is clean and never due until something changed', () => {
    const debounce = new WriteDebounce(INTERVAL);
    assert.equal(debounce.dirty, false);
    assert.equal(debounce.dueAt(), null);
    assert.equal(debounce.isDue(Number.MAX_SAFE_INTEGER), false);
  });

  it('trailing: due one interval after the first unwritten change, later changes do not postpone it', () => {
    const debounce = new WriteDebounce(INTERVAL);
    debounce.changed(100);
    debounce.changed(900);
    assert.equal(debounce.dueAt(), 1_100);
    assert.equal(debounce.isDue(1_099), false);
    assert.equal(debounce.isDue(1_100), true);
    debounce.written(1_100);
    assert.equal(debounce.dirty, false);
    debounce.changed(1_200);
    assert.equal(debounce.dueAt(), 2_200);
  });

  it('leading edge: the first change after a quiet interval is due at once, then one write per interval', () => {
    const debounce = new WriteDebounce(INTERVAL, true);
    debounce.changed(5_000);
    assert.equal(debounce.isDue(5_000), true);
    debounce.written(5_000);
    debounce.changed(5_300);
    assert.equal(debounce.isDue(5_300), false);
    assert.equal(debounce.dueAt(), 6_000);
    debounce.written(6_000);
    debounce.changed(9_000);
    assert.equal(debounce.isDue(9_000), true);
  });
});
