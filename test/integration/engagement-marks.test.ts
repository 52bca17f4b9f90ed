import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { claimEngagementMarks, engagementMarkKey } from '../../src/store/engagement-marks.js';
import { connectMongo, type MongoStore } from '../../src/store/mongo.js';
import { testConfig } from '../helpers/build-app.js';

/**
 * Likes and shares count once per user and item: the first event claims a mark and owns it for good. A relay that
 * delivers the same events again (after a crash, or after giving up a lease) may bring them in another order, with
 * other entries; the owner must still be recognised, or the like is counted by nobody.
 */
const config = testConfig(import.meta.filename);

describe('engagement marks (integration)', () => {
  let mongo: MongoStore;
  before(async () => {
    mongo = await connectMongo(config);
  });
  after(async () => {
    await mongo.client.close();
  });

  it('the first claim of a key owns it; a later event of the same key does not', async () => {
    const key = engagementMarkKey('like', `u-${randomUUID()}`, 'item-1');
    assert.deepEqual([...(await claimEngagementMarks(mongo.db, [{ key, eventId: 'first' }, { key, eventId: 'second' }]))], ['first']); // prettier-ignore
    assert.deepEqual([...(await claimEngagementMarks(mongo.db, [{ key, eventId: 'third' }]))], []);
  });

  it('a retry that brings the owner after another event of its key still finds the owner', async () => {
    const key = engagementMarkKey('like', `u-${randomUUID()}`, 'item-1');
    await claimEngagementMarks(mongo.db, [{ key, eventId: 'owner' }]);
    const owners = await claimEngagementMarks(mongo.db, [
      { key, eventId: 'later-like' },
      { key, eventId: 'owner' },
    ]);
    assert.deepEqual([...owners], ['owner']);
  });
});
