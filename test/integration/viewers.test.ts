import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRedis } from '../../src/store/redis.js';
import { changeViewer, clearShowViewers, openShowViewers, viewerCounts } from '../../src/store/viewers.js';
import { testConfig } from '../helpers/build-app.js';
import { uniqueId } from '../helpers/workflow-env.js';

/** The Redis viewer counts with explicit clocks, so the heartbeat timeout is shown without waiting for it. */
const config = testConfig(import.meta.filename);
const TIMEOUT = 45_000;
const at = (nowMs: number) => ({ nowMs, timeoutMs: TIMEOUT });

describe('viewer counts in Redis', () => {
  const redis = createRedis(config);
  // The client has no offline queue (src/store/redis.ts): commands before the connection is up would fail.
  before(async () => {
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  });
  after(() => redis.quit());

  it('counts nothing while no show is live', async () => {
    const station = uniqueId('st');
    assert.equal(await changeViewer(redis, station, { userId: 'u1', clientId: 'c1' }, 'join', at(0)), null);
    assert.equal(await viewerCounts(redis, station, at(0)), null);
  });

  it('drops a client whose heartbeats stop, and keeps one that sends them', async () => {
    const station = uniqueId('st');
    await openShowViewers(redis, station, 'show-1');
    await changeViewer(redis, station, { userId: 'u1', clientId: 'a' }, 'join', at(1_000));
    const joined = await changeViewer(redis, station, { userId: 'u2', clientId: 'b' }, 'join', at(2_000));
    assert.deepEqual(joined, { showId: 'show-1', current: 2, peak: 2, unique: 2 });

    const beat = await changeViewer(redis, station, { userId: 'u1', clientId: 'a' }, 'heartbeat', at(40_000));
    assert.equal(beat?.current, 2);
    // b was last seen at 2 s; at 50 s it has been silent longer than the 45 s timeout.
    const later = await viewerCounts(redis, station, at(50_000));
    assert.deepEqual(later, { showId: 'show-1', current: 1, peak: 2, unique: 2 });
    const late = await changeViewer(redis, station, { userId: 'u2', clientId: 'b' }, 'heartbeat', at(50_000));
    assert.equal(late?.current, -1, 'a timed-out client is told to join again');
    const back = await changeViewer(redis, station, { userId: 'u2', clientId: 'b' }, 'join', at(51_000));
    assert.deepEqual(back, { showId: 'show-1', current: 2, peak: 2, unique: 2 });
  });

  it('counts a double join once and never goes below zero', async () => {
    const station = uniqueId('st');
    await openShowViewers(redis, station, 'show-2');
    const viewer = { userId: 'u1', clientId: 'a' };
    await changeViewer(redis, station, viewer, 'join', at(0));
    assert.equal((await changeViewer(redis, station, viewer, 'join', at(10)))?.current, 1);
    assert.equal((await changeViewer(redis, station, viewer, 'leave', at(20)))?.current, 0);
    assert.equal((await changeViewer(redis, station, viewer, 'leave', at(30)))?.current, 0);
    // Another user's leave with the same clientId is another member and cannot remove this one.
    await changeViewer(redis, station, viewer, 'join', at(40));
    assert.equal((await changeViewer(redis, station, { userId: 'u9', clientId: 'a' }, 'leave', at(50)))?.current, 1);
  });

  it('starts each show from zero, keeps counts on a retried open, clears only its own show', async () => {
    const station = uniqueId('st');
    await openShowViewers(redis, station, 'show-a');
    await changeViewer(redis, station, { userId: 'u1', clientId: 'a' }, 'join', at(0));
    await openShowViewers(redis, station, 'show-a');
    assert.equal((await viewerCounts(redis, station, at(1)))?.current, 1, 'retried open keeps the counts');
    await openShowViewers(redis, station, 'show-b');
    assert.deepEqual(await viewerCounts(redis, station, at(2)), { showId: 'show-b', current: 0, peak: 0, unique: 0 });
    await clearShowViewers(redis, station, 'show-a');
    assert.equal((await viewerCounts(redis, station, at(3)))?.showId, 'show-b', 'a late clear of show-a is a no-op');
    await clearShowViewers(redis, station, 'show-b');
    assert.equal(await viewerCounts(redis, station, at(4)), null);
    await openShowViewers(redis, station, 'show-b');
    const late = await changeViewer(redis, station, { userId: 'u1', clientId: 'a' }, 'join', at(5));
    assert.equal(late, null, 'an ended show is never counted again, even after a late open');
    await openShowViewers(redis, station, 'show-c');
    assert.equal(
      (await changeViewer(redis, station, { userId: 'u1', clientId: 'a' }, 'join', at(6)))?.showId,
      'show-c',
    );
  });
});
