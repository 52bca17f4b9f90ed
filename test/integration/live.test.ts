/**
 * Live updates over SSE against the real services: two API instances share one Redis, a viewer joining through
 * one reaches a stream held on the other, a reconnect resumes by Last-Event-ID, and streams need a token.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../src/dev/ports.js';
import { connectMongo } from '../../src/store/mongo.js';
import { insertStation } from '../../src/store/stations.js';
import { openShowViewers } from '../../src/store/viewers.js';
import { createRedis } from '../../src/store/redis.js';
import { liveChannels, publishLive } from '../../src/live/publisher.js';
import type { ApiInstance } from '../../src/api/build-app.js';
import { bearer, build, testConfig } from '../helpers/build-app.js';

const config = testConfig(import.meta.filename, { LIVE_MAX_STREAMS_PER_USER: '2', LIVE_HEARTBEAT_MS: '200' });
const STATION = 'st-live-1';

/** A Redis client of the test's own, once connected (the platform's clients queue nothing while connecting). */
async function connectedRedis() {
  const redis = createRedis(config);
  await once(redis, 'ready');
  return redis;
}
const SHOW = 'sh-live-1';

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** An open SSE response read frame by frame; `next(type)` waits for the next event of that type. */
function sseReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const frames: SseEvent[] = [];
  const pull = async (): Promise<void> => {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent & { comment?: boolean } = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const [field, value] = [line.slice(0, colon), line.slice(colon + 1).trimStart()];
        if (field === 'id' || field === 'event' || field === 'data') event[field] = value;
        if (colon === 0) event.comment = true;
      }
      frames.push(event);
    }
  };
  return {
    frames,
    async next(type: string): Promise<SseEvent> {
      for (;;) {
        const index = frames.findIndex((f) => f.event === type);
        if (index >= 0) return frames.splice(index, 1)[0]!;
        await pull();
      }
    },
    async heartbeat(): Promise<void> {
      while (!frames.some((f) => (f as { comment?: boolean }).comment)) await pull();
    },
    close: () => reader.cancel(),
  };
}

describe('live updates (SSE) across two API instances', () => {
  const first = build({ after }, config);
  const second = build({ after }, config);
  const urls = new Map<ApiInstance, string>();

  before(async () => {
    for (const app of [first, second]) {
      const port = await freePort();
      await app.listen({ host: '127.0.0.1', port });
      urls.set(app, `http://127.0.0.1:${port}`);
    }
    const mongo = await connectMongo(config);
    const now = new Date();
    await insertStation(mongo.db, {
      _id: STATION,
      ownerId: 'owner',
      name: 'Live TV',
      description: '',
      createdAt: now,
      updatedAt: now,
      status: 'live',
      liveShow: { showId: SHOW, title: 'On air', startedAt: now, endsAt: new Date(now.getTime() + 3_600_000) },
      nextShowAt: null,
    });
    await mongo.client.close();
    const redis = await connectedRedis();
    await openShowViewers(redis, STATION, SHOW);
    await redis.quit();
  });

  const open = async (app: ApiInstance, path: string, userId: string, lastEventId?: string) =>
    fetch(`${urls.get(app)}/api/v1${path}`, {
      headers: {
        authorization: await bearer(app, userId),
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
    });
  const viewer = async (app: ApiInstance, userId: string, change: 'join' | 'leave') => {
    const res = await fetch(`${urls.get(app)}/api/v1/stations/${STATION}/viewers/${change}`, {
      method: 'POST',
      headers: { authorization: await bearer(app, userId), 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: `${userId}-phone` }),
    });
    assert.equal(res.status, 200, await res.text());
  };

  it('refuses a stream without a token', async () => {
    const res = await fetch(`${urls.get(first)}/api/v1/live/me`);
    assert.equal(res.status, 401);
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/);
  });

  it('pushes a viewer change made through one instance to a stream held on the other, then resumes after it', async () => {
    const res = await open(second, `/live/stations/${STATION}`, 'watcher');
    assert.equal(res.status, 200);
    assert.match(String(res.headers.get('content-type')), /^text\/event-stream/);
    const stream = sseReader(res);
    await stream.heartbeat();

    await viewer(first, 'ann', 'join');
    const joined = await stream.next('viewers');
    assert.deepEqual(JSON.parse(joined.data!), { showId: SHOW, current: 1, peak: 1 });
    await stream.close();

    // Missed while disconnected: a second join and a leave, on the other instance.
    await viewer(first, 'bob', 'join');
    await viewer(second, 'ann', 'leave');
    const resumed = sseReader(await open(first, `/live/stations/${STATION}`, 'watcher', joined.id));
    assert.deepEqual(JSON.parse((await resumed.next('viewers')).data!), { showId: SHOW, current: 2, peak: 2 });
    assert.deepEqual(JSON.parse((await resumed.next('viewers')).data!), { showId: SHOW, current: 1, peak: 2 });
    await resumed.close();
  });

  it("delivers a user's notifications on their own stream only", async () => {
    const mine = sseReader(await open(first, '/live/me', 'nina'));
    const theirs = sseReader(await open(second, '/live/me', 'omar'));
    await Promise.all([mine.heartbeat(), theirs.heartbeat()]);
    const redis = await connectedRedis();
    await publishLive(redis, liveChannels.user('nina'), 'notification', { title: 'for nina' });
    await publishLive(redis, liveChannels.user('omar'), 'notification', { title: 'for omar' });
    await redis.quit();
    assert.deepEqual(JSON.parse((await mine.next('notification')).data!), { title: 'for nina' });
    assert.deepEqual(JSON.parse((await theirs.next('notification')).data!), { title: 'for omar' });
    await Promise.all([mine.close(), theirs.close()]);
  });

  it('limits the streams one user holds open, and frees the slot when one closes', async () => {
    const a = await open(first, '/live/me', 'greedy');
    const b = await open(first, '/live/me', 'greedy');
    const c = await open(first, '/live/me', 'greedy');
    assert.equal(c.status, 429);
    assert.ok(Number(c.headers.get('retry-after')) >= 1);
    const streamA = sseReader(a);
    await streamA.heartbeat();
    await streamA.close();
    await b.body!.cancel();
    let reopened = await open(first, '/live/me', 'greedy');
    // The server sees the close asynchronously; a retry after it frees the slot must succeed.
    for (let i = 0; i < 50 && reopened.status === 429; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      reopened = await open(first, '/live/me', 'greedy');
    }
    assert.equal(reopened.status, 200);
    await reopened.body!.cancel();
  });

  it('cuts off a client that stops reading instead of buffering for it without bound', async () => {
    // A client that reads the response head and then nothing more, as a stalled phone would.
    const { port } = new URL(urls.get(first) as string);
    const slow = connect(Number(port), '127.0.0.1');
    slow.write(
      `GET /api/v1/live/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${await bearer(first, 'slowpoke')}\r\n` +
        'Accept: text/event-stream\r\n\r\n',
    );
    const [head] = (await once(slow, 'data')) as [Buffer];
    assert.match(head.toString(), /^HTTP\/1\.1 200/);
    slow.pause();
    const closed = once(slow, 'close');

    // More than the kernel's socket buffers on both ends and LIVE_MAX_BUFFERED_BYTES together hold.
    const redis = await connectedRedis();
    const big = 'x'.repeat(48_000);
    for (let i = 0; i < 400; i++)
      await publishLive(redis, liveChannels.user('slowpoke'), 'notification', { title: big });
    await redis.quit();

    // The server dropped the stream: the user's slots are both free again, and the socket ends once read.
    const streams = [await open(first, '/live/me', 'slowpoke')];
    let second = await open(first, '/live/me', 'slowpoke');
    for (let i = 0; i < 50 && second.status === 429; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      second = await open(first, '/live/me', 'slowpoke');
    }
    streams.push(second);
    assert.deepEqual(
      streams.map((res) => res.status),
      [200, 200],
    );
    slow.resume();
    await closed;
    await Promise.all(streams.map((res) => res.body!.cancel()));
  });
});
