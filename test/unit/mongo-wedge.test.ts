import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wedgeCheck } from '../../src/store/mongo-wedge.js';

const ok = () => Promise.resolve();
const fails = () => Promise.reject(new Error('no server'));

describe('wedgeCheck', () => {
  it('calls a client wedged only after its pings failed for the whole window while a fresh client answers', async () => {
    let freshPings = 0;
    const watch = wedgeCheck(fails, () => (freshPings++, ok()), 60_000);
    assert.equal(await watch.check(0), 'failing');
    assert.equal(await watch.check(59_999), 'failing');
    assert.equal(freshPings, 0, 'no fresh client is opened inside the window');
    assert.equal(await watch.check(60_000), 'wedged');
    assert.equal(freshPings, 1);
  });

  it('calls the database down when a fresh client fails too', async () => {
    const watch = wedgeCheck(fails, fails, 1_000);
    await watch.check(0);
    assert.equal(await watch.check(5_000), 'down');
  });

  it('starts the window again after a ping succeeds', async () => {
    let own: () => Promise<void> = fails;
    const watch = wedgeCheck(() => own(), ok, 1_000);
    assert.equal(await watch.check(0), 'failing');
    own = ok;
    assert.equal(await watch.check(900), 'ok');
    own = fails;
    assert.equal(await watch.check(1_500), 'failing', 'the earlier failure no longer counts');
    assert.equal(await watch.check(2_500), 'wedged');
  });
});
