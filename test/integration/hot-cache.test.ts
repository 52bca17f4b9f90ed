import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { buildApp, type ApiInstance } from '../../src/api/build-app.js';
import { releaseRebuildLock, takeRebuildLock } from '../../src/cache/rebuild.js';
import { candidatesFromCache } from '../../src/ranking/cached-candidates.js';
import { candidatesFromStore, DEFAULT_CANDIDATE_LIMITS } from '../../src/ranking/candidates.js';
import { readProfile } from '../../src/cache/profiles.js';
import { readFeed, writeFeed } from '../../src/store/feeds.js';
import { loadCreatorStats } from '../../src/store/creator-stats.js';
import { loadInterestProfile } from '../../src/store/interest-profiles.js';
import { redisKeys } from '../../src/store/redis-keys.js';
import { bearer, testConfig } from '../helpers/build-app.js';
import { eventually, startPlatform, type Platform } from '../helpers/platform.js';

/**
 * The hot read cache (src/cache) on the real services, fed only through the REST API: the online feed, similar
 * users and leaderboards read Redis structures that a loss of Redis data cannot change the answers of, and a
 * stored feed is served under the user's rules as they are at the request.
 */
const config = testConfig(import.meta.filename, {
  TEMPORAL_TASK_QUEUE: `hot-cache-${process.pid}`,
  INTEREST_PERSIST_DEBOUNCE_MS: '50',
  CREATOR_PERSIST_DEBOUNCE_MS: '50',
  RELAY_INTERVAL_MS: '50',
  // The feed is read while the test changes the user's rules; a refresh would hide whether serving applies them.
  FEED_REFRESH_MIN_INTERVAL_MS: '3600000',
  RATE_LIMIT_MAX: '10000',
  CACHE_REBUILD_WAIT_MS: '2000',
});
const TOPICS = ['cooking', 'jazz', 'chess', 'hiking'] as const;
const TYPES = ['video', 'short', 'live'] as const;
const CREATORS = ['chef', 'musician', 'player'].map((name) => `${name}-${process.pid}`);
const READERS = ['ann', 'bob', 'cy'].map((name) => `${name}-${process.pid}`);

interface FeedPage {
  items: Array<{
    contentId: string;
    creatorId: string;
    item?: { title: string; type: string; creatorHandle: string | null };
  }>;
  nextCursor: string | null;
  source: string;
}

describe('hot read cache (integration)', () => {
  let app: ApiInstance;
  let platform: Platform;
  let redis: Redis;
  const auth = new Map<string, string>();
  const types = new Map<string, string>();
  const creatorOf = new Map<string, string>();

  const call = async (user: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await app.inject({ method, url, headers: { authorization: auth.get(user) as string }, payload });
    assert.ok(res.statusCode < 300, `${method} ${url} → ${res.statusCode} ${res.body}`);
    return res;
  };
  const feedOf = async (user: string) => (await call(user, 'GET', '/api/v1/feed?limit=100')).json<FeedPage>();

  before(async () => {
    app = buildApp(config);
    platform = await startPlatform(config);
    redis = platform.redis;
    auth.set('ops', await bearer(app, 'ops', ['operator']));
    for (const id of [...CREATORS, ...READERS]) {
      auth.set(id, await bearer(app, id, CREATORS.includes(id) ? ['creator'] : ['user']));
      await call(id, 'POST', '/api/v1/identities', { handle: id.replace(/-/g, '_'), displayName: id });
    }
    for (let i = 0; i < 36; i++) {
      const creator = CREATORS[i % CREATORS.length] as string;
      const topic = TOPICS[i % TOPICS.length] as string;
      const type = TYPES[i % TYPES.length] as string;
      const res = await call(creator, 'POST', '/api/v1/content', {
        title: `${topic} session ${i}`,
        description: `All about ${topic}, part ${i}`,
        tags: [topic],
        type,
      });
      const id = res.json<{ id: string }>().id;
      types.set(id, type);
      creatorOf.set(id, creator);
    }
    // Tastes: each reader engages with one topic's items (and so with some of every creator).
    const items = [...types.keys()];
    for (const [r, reader] of READERS.entries()) {
      const liked = items.filter((_, i) => i % TOPICS.length === r || i % TOPICS.length === 3).slice(0, 6);
      const events = liked.map((contentId, i) => ({
        eventId: `${reader}-like-${i}`,
        userId: reader,
        type: 'like',
        contentId,
        occurredAt: new Date().toISOString(),
      }));
      await call(reader, 'POST', '/api/v1/events', { events });
      await eventually(
        () => loadInterestProfile(platform.mongo.db, reader),
        (profile) => profile?.appliedEvents === liked.length,
        `${reader}'s profile`,
      );
    }
    await call(READERS[0] as string, 'POST', `/api/v1/users/${CREATORS[1]}/follow`);
    await call(READERS[1] as string, 'POST', `/api/v1/users/${CREATORS[2]}/block`);
    await call(READERS[2] as string, 'PUT', `/api/v1/identities/${READERS[2]}/preferences`, {
      language: null,
      contentTypeOptOuts: ['live'],
      notifications: { push: true, email: true, reminders: true },
    });
    // Creator scores follow the events through the relay; the answers compared below must not still be moving.
    const likesPosted = READERS.length * 6;
    await eventually(
      async () => Promise.all(CREATORS.map((id) => loadCreatorStats(platform.mongo.db, id))),
      (docs) =>
        docs.reduce((sum, doc) => sum + (doc?.stats.totals.likes ?? 0), 0) === likesPosted &&
        docs[1]?.stats.followers === 1,
      'creator stats of every like and the follow',
    );
    await call('ops', 'POST', '/api/v1/cache/rebuild');
  });
  after(async () => {
    await app?.close();
    await platform?.close();
  });

  /** What a Redis that lost everything looks like to this deployment (its own key prefix only). */
  async function loseRedisData(): Promise<void> {
    const prefix = config.REDIS_KEY_PREFIX;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys.map((key) => key.slice(prefix.length)));
    } while (cursor !== '0');
  }

  it('gives the online feed the same candidates from Redis as from MongoDB', async () => {
    const nowMs = Date.now();
    for (const user of READERS) {
      const profile = await readProfile({ db: platform.mongo.db, redis }, user);
      const cached = await candidatesFromCache(redis, user, profile, nowMs, DEFAULT_CANDIDATE_LIMITS);
      const stored = await candidatesFromStore(platform.mongo.db, redis, user, profile, nowMs, DEFAULT_CANDIDATE_LIMITS); // prettier-ignore
      const view = (set: typeof cached) => set.candidates.map((c) => `${c.item.contentId}:${c.followsCreator}`);
      assert.ok(cached.candidates.length > 5, `${user}: ${cached.candidates.length} candidates`);
      assert.deepEqual(view(cached), view(stored), user);
      assert.deepEqual([...cached.seenContent].sort(), [...stored.seenContent].sort(), `${user}: seen`);
      assert.deepEqual([...cached.blockedCreators], [...stored.blockedCreators], `${user}: blocks`);
    }
  });

  it('answers feed, similar users and leaderboards the same after Redis loses its data and is rebuilt', async () => {
    const snapshot = async () => {
      const feeds: Record<string, string[]> = {};
      for (const user of READERS) {
        await redis.del(redisKeys.feed(user)); // ranked now, from the cache
        feeds[user] = (await feedOf(user)).items.map((i) => i.contentId).sort();
      }
      const similar = (await call(READERS[0] as string, 'GET', `/api/v1/users/${READERS[0]}/similar`)).json();
      const board = (await call(READERS[0] as string, 'GET', '/api/v1/leaderboards/score?limit=50')).json();
      return { feeds, similar, board };
    };
    const before = await snapshot();
    assert.ok(Object.values(before.feeds).every((ids) => ids.length > 0));
    assert.ok((before.similar as { items: unknown[] }).items.length > 0, JSON.stringify(before.similar));

    await loseRedisData();
    const status = await call('ops', 'GET', '/api/v1/cache');
    assert.equal(status.json<{ ready: boolean }>().ready, false);
    // The first requests after the loss answer from MongoDB and start the rebuild themselves.
    const during = await snapshot();
    assert.deepEqual(during, before);
    await eventually(
      async () => (await call('ops', 'GET', '/api/v1/cache')).json<{ ready: boolean }>(),
      (s) => s.ready,
      'the rebuild a request started',
    );
    assert.deepEqual(await snapshot(), before);

    // The operator's rebuild, from a cache that holds data, ends in the same answers too.
    const rebuilt = await call('ops', 'POST', '/api/v1/cache/rebuild');
    assert.ok(rebuilt.json<{ items: number }>().items >= types.size, rebuilt.body);
    assert.deepEqual(await snapshot(), before);
  });

  it('holds every interest profile after a rebuild, so a complete cache answers profiles without the store', async () => {
    await loseRedisData();
    await call('ops', 'POST', '/api/v1/cache/rebuild');
    for (const user of READERS) {
      const stored = await loadInterestProfile(platform.mongo.db, user);
      const cached = await redis.get(redisKeys.hot.profile(user));
      assert.ok(stored && cached, `${user}: stored and cached`);
      assert.deepEqual(JSON.parse(cached), stored, user);
      const res = await call(user, 'GET', `/api/v1/users/${user}/interests`);
      assert.equal(res.json<{ appliedEvents: number }>().appliedEvents, stored.appliedEvents);
    }
    // A user without a profile: the complete cache says so without a read of the store.
    const nobody = `nobody-${process.pid}`;
    assert.equal(await readProfile({ db: platform.mongo.db, redis }, nobody), null);
    // While the cache is not complete, the store answers.
    await redis.del(redisKeys.hot.built);
    const user = READERS[0] as string;
    await redis.del(redisKeys.hot.profile(user));
    assert.deepEqual(
      await readProfile({ db: platform.mongo.db, redis }, user),
      await loadInterestProfile(platform.mongo.db, user),
    );
    await call('ops', 'POST', '/api/v1/cache/rebuild');
  });

  it("runs one rebuild at a time: an operator's rebuild waits for a running one, then answers 409", async () => {
    const held = await takeRebuildLock(redis);
    assert.ok(held, 'the lock is free between tests');
    const freed = setTimeout(200).then(() => releaseRebuildLock(redis, held));
    const waited = await call('ops', 'POST', '/api/v1/cache/rebuild');
    await freed;
    assert.ok(waited.json<{ items: number }>().items >= types.size, waited.body);

    const stuck = await takeRebuildLock(redis);
    assert.ok(stuck);
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/cache/rebuild',
      headers: { authorization: auth.get('ops') as string },
    });
    await releaseRebuildLock(redis, stuck);
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json<{ type: string }>().type.endsWith('/conflict'), true, refused.body);
  });

  it('serves a stored feed under the rules of now: blocks, items seen and opt-outs made after it was ranked', async () => {
    const user = READERS[0] as string;
    await redis.del(redisKeys.feed(user));
    const first = await feedOf(user);
    assert.equal(first.source, 'online');
    assert.ok(first.items.every((i) => i.item?.title && i.item.type === types.get(i.contentId) && i.item.creatorHandle === i.creatorId.replace(/-/g, '_')), 'items carry summaries'); // prettier-ignore
    const stored = await readFeed(redis, user);
    assert.ok(stored && stored.items.length === first.items.length);

    // A view since the list was ranked: the stored list still holds the item, serving leaves it out.
    const viewed = first.items[0]?.contentId as string;
    await call(user, 'POST', '/api/v1/events', {
      events: [{ eventId: `${user}-view-1`, userId: user, type: 'view', contentId: viewed, occurredAt: new Date().toISOString() }], // prettier-ignore
    });
    const afterView = await feedOf(user);
    assert.equal(afterView.source, 'precomputed');
    assert.ok((await readFeed(redis, user))?.items.some((i) => i.contentId === viewed));
    assert.ok(!afterView.items.some((i) => i.contentId === viewed), 'the item just seen');

    // A block and an opt-out: a list ranked before them (as a batch run racing them would store) is filtered.
    const blocked = CREATORS[0] as string;
    await call(user, 'POST', `/api/v1/users/${blocked}/block`);
    await call(user, 'PUT', `/api/v1/identities/${user}/preferences`, {
      language: null,
      contentTypeOptOuts: ['short'],
      notifications: { push: true, email: true, reminders: true },
    });
    assert.equal(await readFeed(redis, user), null, 'block and opt-out drop the stored feed');
    await writeFeed(redis, user, stored, 600);
    const afterRules = await feedOf(user);
    assert.equal(afterRules.source, 'precomputed');
    assert.ok(stored.items.some((i) => i.creatorId === blocked) && stored.items.some((i) => types.get(i.contentId) === 'short')); // prettier-ignore
    assert.ok(afterRules.items.length > 0);
    assert.ok(!afterRules.items.some((i) => i.creatorId === blocked), 'the blocked creator');
    assert.ok(!afterRules.items.some((i) => types.get(i.contentId) === 'short'), 'the opted-out type');
    assert.ok(!afterRules.items.some((i) => i.contentId === viewed), 'the item seen');

    // And a feed ranked afresh keeps to the same rules.
    await redis.del(redisKeys.feed(user));
    const fresh = await feedOf(user);
    assert.equal(fresh.source, 'online');
    assert.ok(fresh.items.length > 0);
    assert.ok(fresh.items.every((i) => i.creatorId !== blocked && types.get(i.contentId) !== 'short' && i.contentId !== viewed)); // prettier-ignore
  });

  it('starts the rebuild from a precomputed page too, so stored feeds do not read the store for long', async () => {
    const user = READERS[1] as string;
    await redis.del(redisKeys.feed(user));
    await feedOf(user);
    const stored = await readFeed(redis, user);
    assert.ok(stored);
    await loseRedisData();
    await writeFeed(redis, user, stored, 600);
    const page = await feedOf(user);
    assert.equal(page.source, 'precomputed');
    await eventually(
      async () => (await call('ops', 'GET', '/api/v1/cache')).json<{ ready: boolean }>(),
      (s) => s.ready,
      'the rebuild a precomputed page started',
    );
  });

  it('lets only operators see and rebuild the cache', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/cache/rebuild', headers: { authorization: auth.get(READERS[0] as string) as string } }); // prettier-ignore
    assert.equal(res.statusCode, 403);
  });
});
