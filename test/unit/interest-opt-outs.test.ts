import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY_MS } from '../../src/domain/decay.js';
import {
  applyEngagement,
  decayProfile,
  emptyProfile,
  hasContentTypeOptOuts,
  normaliseContentTypeOptOuts,
  withContentTypeOptOuts,
  type EngagementEvent,
  type InterestProfile,
} from '../../src/domain/interest-profile.js';
import { isOnboardingSeed, onboardingSeedEventId } from '../../src/domain/onboarding.js';

const params = { halfLifeMs: 7 * DAY_MS, topK: 50 };
const T0 = Date.UTC(2026, 2, 2);

const like = (id: string, contentType: EngagementEvent['contentType'], topics = ['jazz']): EngagementEvent => ({
  eventId: id,
  type: 'like',
  occurredAtMs: T0,
  topics,
  contentType,
});

function liked(profile: InterestProfile, ...events: EngagementEvent[]): InterestProfile {
  return events.reduce((p, e) => applyEngagement(p, e, params), profile);
}

describe('content-type opt-outs in the interest profile', () => {
  it('keeps known types once, in a fixed order, and drops anything else', () => {
    assert.deepEqual(normaliseContentTypeOptOuts(['short', 'live', 'holograms', 'live', 7, null]), ['live', 'short']);
    assert.deepEqual(normaliseContentTypeOptOuts('live'), []);
    assert.deepEqual(normaliseContentTypeOptOuts(undefined), []);
  });

  it('zeroes opted-out types, lists them, and leaves topics and the other types alone', () => {
    const before = liked(emptyProfile('u', T0), like('a', 'live'), like('b', 'video', ['chess']));
    assert.ok(before.contentTypes.live > 0);
    const after = withContentTypeOptOuts(before, ['live']);
    assert.deepEqual(after.contentTypeOptOuts, ['live']);
    assert.equal(after.contentTypes.live, 0);
    assert.equal(after.contentTypes.video, before.contentTypes.video);
    assert.deepEqual(after.topics, before.topics);
    assert.ok(before.contentTypes.live > 0, 'input not modified');
  });

  it('keeps an opted-out type at zero through new engagement and decay, and counts it again after opting back in', () => {
    const optedOut = withContentTypeOptOuts(emptyProfile('u', T0), ['live']);
    const engaged = liked(optedOut, like('a', 'live'), like('b', 'video'));
    assert.equal(engaged.contentTypes.live, 0);
    assert.ok(engaged.contentTypes.video > 0);
    assert.ok((engaged.topics.jazz ?? 0) > 0, 'the topic of an opted-out type still counts');
    const decayed = decayProfile(engaged, T0 + 3 * DAY_MS, params);
    assert.equal(decayed.contentTypes.live, 0);
    assert.deepEqual(decayed.contentTypeOptOuts, ['live'], 'carried through decay');

    const back = liked(withContentTypeOptOuts(decayed, []), { ...like('c', 'live'), occurredAtMs: T0 + 3 * DAY_MS });
    assert.ok(back.contentTypes.live > 0);
  });

  it('knows when a profile already carries the opt-outs, and that one without the field carries none yet', () => {
    const profile = withContentTypeOptOuts(emptyProfile('u', T0), ['short', 'live']);
    assert.equal(hasContentTypeOptOuts(profile, ['live', 'short']), true);
    assert.equal(hasContentTypeOptOuts(profile, ['live']), false);
    assert.equal(hasContentTypeOptOuts(emptyProfile('u', T0), []), true);
    const { contentTypeOptOuts: _absent, ...persistedBeforeOptOuts } = emptyProfile('u', T0);
    assert.equal(hasContentTypeOptOuts(persistedBeforeOptOuts, []), false);
  });
});

describe('onboarding seed events', () => {
  it('tells picked-interest seeds apart from engagements', () => {
    assert.equal(isOnboardingSeed(onboardingSeedEventId('jazz')), true);
    assert.equal(isOnboardingSeed('evt-1'), false);
  });
});
