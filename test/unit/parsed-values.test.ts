import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParsedValues } from '../../src/store/parsed-values.js';

function counting() {
  let calls = 0;
  const parse = (raw: string) => {
    calls++;
    return Object.freeze(JSON.parse(raw) as { n: number });
  };
  return { parse, calls: () => calls };
}

describe('ParsedValues', () => {
  it('parses a key once while Redis returns the same bytes, and hands out the same object', () => {
    const { parse, calls } = counting();
    const values = new ParsedValues(10, parse);
    const first = values.get('a', Buffer.from('{"n":1}'));
    // A fresh view of other memory with the same bytes, as each Redis reply is.
    const again = values.get('a', Buffer.from('xx{"n":1}yy').subarray(2, 9));
    assert.equal(again, first);
    assert.deepEqual(again, { n: 1 });
    assert.equal(calls(), 1);
  });

  it('parses afresh when the bytes changed, never serving the old value', () => {
    const { parse, calls } = counting();
    const values = new ParsedValues(10, parse);
    values.get('a', Buffer.from('{"n":1}'));
    assert.deepEqual(values.get('a', Buffer.from('{"n":2}')), { n: 2 });
    assert.deepEqual(values.get('a', Buffer.from('{"n":2}')), { n: 2 });
    assert.equal(calls(), 2);
    assert.equal(values.size, 1);
  });

  it('keeps at most maxEntries, dropping the oldest first', () => {
    const { parse, calls } = counting();
    const values = new ParsedValues(2, parse);
    values.get('a', Buffer.from('{"n":1}'));
    values.get('b', Buffer.from('{"n":2}'));
    values.get('c', Buffer.from('{"n":3}'));
    assert.equal(values.size, 2);
    values.get('b', Buffer.from('{"n":2}'));
    values.get('c', Buffer.from('{"n":3}'));
    assert.equal(calls(), 3);
    assert.deepEqual(values.get('a', Buffer.from('{"n":1}')), { n: 1 });
    assert.equal(calls(), 4);
  });

  it("keeps its own copy, so reusing a reply's memory cannot change what it compares with", () => {
    const { parse, calls } = counting();
    const values = new ParsedValues(10, parse);
    const reply = Buffer.from('{"n":1}');
    values.get('a', reply);
    reply.write('{"n":2}');
    assert.deepEqual(values.get('a', reply), { n: 2 });
    assert.equal(calls(), 2);
  });

  it('with room for nothing, parses every time and keeps nothing', () => {
    const { parse, calls } = counting();
    const values = new ParsedValues(0, parse);
    values.get('a', Buffer.from('{"n":1}'));
    values.get('a', Buffer.from('{"n":1}'));
    assert.equal(calls(), 2);
    assert.equal(values.size, 0);
  });
});
