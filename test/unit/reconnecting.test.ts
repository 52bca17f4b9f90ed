import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { reconnecting } from '../../src/api/plugins/reconnecting.js';

describe('reconnecting dependency', () => {
  function counted() {
    const disconnected: number[] = [];
    let made = 0;
    const dependency = reconnecting<{ n: number }>({
      name: 'Store',
      log: pino({ level: 'silent' }),
      connect: () => Promise.resolve({ n: ++made }),
      disconnect: (client) => Promise.resolve(void disconnected.push(client.n)),
    });
    return { dependency, disconnected };
  }

  it('replaces a client that stopped reaching its server: the next get() connects a fresh one', async () => {
    const { dependency, disconnected } = counted();
    const first = await dependency.get();
    assert.equal(await dependency.get(), first, 'the client is kept while it works');
    dependency.replace(first);
    assert.equal(dependency.current(), undefined);
    const second = await dependency.get();
    assert.deepEqual([first.n, second.n, disconnected], [1, 2, [1]]);
  });

  it('ignores a replace of a client that is no longer the one in use', async () => {
    const { dependency, disconnected } = counted();
    const first = await dependency.get();
    dependency.replace(first);
    const second = await dependency.get();
    dependency.replace(first);
    assert.equal(dependency.current(), second);
    assert.deepEqual(disconnected, [1]);
  });
});
