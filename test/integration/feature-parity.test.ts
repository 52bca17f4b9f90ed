import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { DAY_MS } from '../../src/domain/decay.js';
import type { EngagementType } from '../../src/domain/engagement.js';
import { sourceItems } from '../../src/ranking/candidates.js';
import { FEATURE_INDEX, featureVector, type FeatureName } from '../../src/ranking/features.js';
import { refreshContentPopularity } from '../../src/store/content-popularity.js';
import { contentCollection, type ContentDoc } from '../../src/store/content.js';
import { eventsCollection } from '../../src/store/events.js';
import { connectMongo, type MongoStore } from '../../src/store/mongo.js';
import { createRedis } from '../../src/store/redis.js';
import type { CatalogItem, PlatformEvent } from '../../models/dataset-io.js';
import { PlatformReplay } from '../../models/replay.js';
import { testConfig } from '../helpers/build-app.js';

/**
 * The ranker's inputs are computed twice: at serving, from the counts batch scoring writes to Redis
 * (refreshContentPopularity → sourceItems), and in training, from events replayed in models/replay.ts. For the
 * same stored events both must give the same item and creator counts, hence the same count-based features
 * (watch_rate, exposure_log, creator_watch_rate and the version-1 popularity features).
 */
const config = testConfig(import.meta.filename);
const pid = process.pid;
const COUNT_FEATURES: FeatureName[] = ['watch_rate', 'exposure_log', 'creator_watch_rate', 'engagement_rate', 'popularity_decayed']; // prettier-ignore

describe('serving and training feature parity (integration)', () => {
  let mongo: MongoStore;
  let redis: Redis;

  before(async () => {
    mongo = await connectMongo(config);
    redis = createRedis(config);
    if (redis.status !== 'ready') await once(redis, 'ready');
  });
  after(async () => {
    await mongo?.db.dropDatabase();
    await mongo?.client.close();
    redis?.disconnect();
  });

  it('gives the served candidates the counts and features that training replays from the same events', async () => {
    const nowMs = Date.now();
    const catalog: CatalogItem[] = [0, 1, 2, 3].map((i) => ({
      contentId: `parity-item-${i}-${pid}`,
      creatorId: `parity-creator-${i % 2}-${pid}`,
      type: i === 3 ? 'live' : 'video',
      topics: ['jazz'],
      createdAtMs: nowMs - (i + 1) * 3_600_000,
    }));
    // Item 0: 3 views, 2 skips, a like; item 1: skipped only; item 2: views and a share; item 3 never engaged.
    const reactions: Array<[number, EngagementType]> = [[0, 'view'], [0, 'view'], [0, 'view'], [0, 'skip'], [0, 'skip'], [0, 'like'], [1, 'skip'], [1, 'skip'], [1, 'skip'], [2, 'view'], [2, 'view'], [2, 'share']]; // prettier-ignore
    const events: PlatformEvent[] = reactions.map(([item, type], i) => ({
      eventId: `parity-${pid}-${i}`,
      userId: `parity-user-${i % 3}-${pid}`,
      type,
      contentId: catalog[item]?.contentId as string,
      creatorId: null,
      value: null,
      occurredAtMs: nowMs - DAY_MS / 2 + i * 1000,
    }));
    const docs: ContentDoc[] = catalog.map((c) => ({
      _id: c.contentId,
      creatorId: c.creatorId,
      title: c.contentId,
      description: '',
      tags: c.topics,
      type: c.type,
      topics: c.topics,
      createdAt: new Date(c.createdAtMs),
    }));
    await contentCollection(mongo.db).insertMany(docs);
    await eventsCollection(mongo.db).insertMany(
      events.map((e) => ({ _id: e.eventId, userId: e.userId, type: e.type, contentId: e.contentId as string, occurredAt: new Date(e.occurredAtMs), receivedAt: new Date(e.occurredAtMs), batchId: 'parity' })), // prettier-ignore
    );

    await refreshContentPopularity(mongo.db, redis, nowMs);
    const served = await sourceItems(redis, docs);
    const replay = new PlatformReplay(new Map(catalog.map((c) => [c.contentId, c])), { halfLifeMs: 7 * DAY_MS });
    for (const event of events) replay.apply(event);

    const viewer = `parity-viewer-${pid}`;
    for (const item of catalog) {
      const serving = served.get(item.contentId);
      assert.ok(serving, `${item.contentId} served`);
      const trained = replay.candidate(viewer, item);
      const counts = (c: typeof trained) => [c.item.popularity.views, c.item.popularity.likes, c.item.popularity.shares, c.item.popularity.skips ?? 0, c.creator.views ?? 0, c.creator.skips ?? 0]; // prettier-ignore
      const servedCandidate = { ...serving, followsCreator: false };
      assert.deepEqual(counts(servedCandidate), counts(trained), `${item.contentId}: views, likes, shares, skips, creator views, creator skips`); // prettier-ignore
      const [a, b] = [featureVector(null, servedCandidate, nowMs), featureVector(null, trained, nowMs)];
      assert.deepEqual(COUNT_FEATURES.map((f) => a[FEATURE_INDEX[f]]), COUNT_FEATURES.map((f) => b[FEATURE_INDEX[f]]), item.contentId); // prettier-ignore
    }
    // The counts above are the events': creator 0 has item 0 (3 views, 2 skips) and item 2 (2 views).
    const creator0 = served.get(catalog[0]?.contentId as string)?.creator;
    assert.deepEqual([creator0?.views, creator0?.skips], [5, 2]);
    assert.deepEqual([served.get(catalog[1]?.contentId as string)?.creator.skips], [3]);
  });
});
