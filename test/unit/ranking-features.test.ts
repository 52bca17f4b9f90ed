import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InterestProfile } from '../../src/domain/interest-profile.js';
import {
  buildFeatureMatrix,
  FEATURE_COUNT,
  FEATURE_INDEX,
  FEATURE_NAMES,
  FEATURE_VERSION,
  featureVector,
  userFeatures,
  type Candidate,
} from '../../src/ranking/features.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2025, 2, 10, 8, 30);

const profile: InterestProfile = {
  userId: 'user-1',
  topics: { music: 3, gaming: 4 }, // norm 5
  contentTypes: { video: 2, short: 6, live: 0, image: 0, text: 0 },
  // likes are 1/3 of all events, 3.3× the liker bar: a liker
  eventCounts: {
    view: 10,
    like: 5,
    share: 0,
    comment: 0,
    tip: 0,
    follow: 0,
    skip: 0,
    hide: 0,
    report: 0,
    watch_time: 0,
  },
  hours: Array.from({ length: 24 }, (_, h) => (h === 20 ? 4 : h === 8 ? 1 : 0)),
  updatedAtMs: NOW - HOUR,
  lastEventAtMs: NOW - HOUR,
  appliedEvents: 15,
};

const candidate: Candidate = {
  item: {
    contentId: 'content-1',
    creatorId: 'creator-1',
    type: 'short',
    topics: ['music', 'comedy'],
    createdAtMs: NOW - 24 * HOUR, // published at 08:30 UTC
    popularity: { views: 150, likes: 15, shares: 5, comments: 10, skips: 50 },
  },
  creator: { score: 62.5, tier: 'platinum', views: 400, skips: 580 },
  followsCreator: true,
};

describe('feature vector', () => {
  it('names every feature once, in a versioned order', () => {
    assert.equal(FEATURE_VERSION, 2);
    assert.equal(FEATURE_NAMES.length, FEATURE_COUNT);
    assert.equal(new Set(FEATURE_NAMES).size, FEATURE_COUNT);
    assert.equal(featureVector(profile, candidate, NOW).length, FEATURE_NAMES.length);
  });

  it('matches the golden vector for a fixed profile and item', () => {
    const expected = [
      3 / (5 * Math.SQRT2), // interest_match: music 3 of a norm-5 profile, over two item topics
      0.75, // content_type_pref: short 6 of 8
      0.625, // creator_score 62.5 / 100
      3, // platinum
      1, // follows
      Math.log(25), // 24 hours old
      Math.log(1 + (150 + 3 * 15 + 4 * 10 + 5 * 5) * Math.SQRT1_2), // weighted 260, half a half-life old
      (15 + 10 + 5 + 2.5) / (150 + 50), // engagement_rate with its prior
      Math.log2((15 + 2.5) / 200 / 0.05), // liker: like rate lift over 5 %
      0.25, // 08:00 UTC has 1 of the busiest hour's 4
      2, // two items of this creator above
      Math.log(16), // 15 events
      (150 + 6) / (200 + 20), // watch_rate: 150 views of 200 exposures, prior 20 at 30 %
      Math.log(201), // exposure_log
      0, // not live
      (3 / 4 + 0) / 2, // interest_share: music 3 of the favourite's 4, comedy 0
      0.2, // hour_window_share: 06–10 UTC hold 1 of 5 activity
      1, // content_type_affinity: short is the strongest type
      (400 + 6) / (980 + 20), // creator_watch_rate
    ];
    assert.deepEqual([...featureVector(profile, candidate, NOW, 2)], expected.map(Math.fround));
  });

  it('gives a cold-start user neutral values', () => {
    const v = featureVector(null, candidate, NOW);
    assert.equal(v[FEATURE_INDEX.interest_match], 0);
    assert.equal(v[FEATURE_INDEX.content_type_pref], Math.fround(0.2));
    assert.equal(v[FEATURE_INDEX.engagement_style_fit], 0);
    assert.equal(v[FEATURE_INDEX.hour_fit], 0);
    assert.equal(v[FEATURE_INDEX.profile_depth], 0);
    assert.equal(v[FEATURE_INDEX.follows_creator], 1);
    assert.equal(v[FEATURE_INDEX.interest_share], 0);
    assert.equal(v[FEATURE_INDEX.hour_window_share], 0);
    assert.equal(v[FEATURE_INDEX.content_type_affinity], 0);
  });

  it('reads dislikes as a negative match and ignores repeated topics', () => {
    const disliking = { ...profile, topics: { music: -3, gaming: 4 } };
    const v = featureVector(disliking, { ...candidate, item: { ...candidate.item, topics: ['music', 'music'] } }, NOW);
    assert.equal(v[FEATURE_INDEX.interest_match], Math.fround(-3 / 5));
    assert.equal(v[FEATURE_INDEX.interest_share], Math.fround(-3 / 4));
  });

  it('stays finite on broken counts and future timestamps', () => {
    const broken: Candidate = {
      item: { ...candidate.item, createdAtMs: NOW + HOUR, popularity: { views: NaN, likes: -4, shares: Infinity } },
      creator: { score: NaN, tier: 'bronze' },
      followsCreator: false,
    };
    const v = featureVector(profile, broken, NOW, -1);
    assert.ok([...v].every(Number.isFinite));
    assert.equal(v[FEATURE_INDEX.item_age_log_hours], 0);
    assert.equal(v[FEATURE_INDEX.creator_shown_above], 0);
    assert.equal(v[FEATURE_INDEX.watch_rate], Math.fround(0.3), 'no exposures: the prior');
    assert.equal(v[FEATURE_INDEX.creator_watch_rate], Math.fround(0.3));
  });

  it('reads a disliked content type as a negative affinity and live items as live', () => {
    const skipsLive = { ...profile, contentTypes: { ...profile.contentTypes, live: -3 } };
    const live = { ...candidate, item: { ...candidate.item, type: 'live' as const } };
    const v = featureVector(skipsLive, live, NOW);
    assert.equal(v[FEATURE_INDEX.content_type_affinity], Math.fround(-0.5));
    assert.equal(v[FEATURE_INDEX.content_type_pref], 0);
    assert.equal(v[FEATURE_INDEX.is_live], 1);
  });

  it('builds batch rows identical to single vectors, with list context per creator', () => {
    const other: Candidate = { ...candidate, item: { ...candidate.item, contentId: 'c2', creatorId: 'creator-2' } };
    const shown = new Map([['creator-1', 9]]);
    const buffer = new Float32Array(10 * FEATURE_COUNT);
    const matrix = buildFeatureMatrix(userFeatures(profile), [candidate, other], NOW, shown, buffer);
    assert.equal(matrix, buffer, 'reuses a large enough buffer');
    assert.deepEqual([...matrix.subarray(0, FEATURE_COUNT)], [...featureVector(profile, candidate, NOW, 5)]);
    assert.deepEqual([...matrix.subarray(FEATURE_COUNT, 2 * FEATURE_COUNT)], [...featureVector(profile, other, NOW)]);
  });
});
