import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DAY_MS, HOUR_MS } from '../../src/domain/decay.js';
import { engagementWeight, type EngagementType } from '../../src/domain/engagement.js';
import {
  applyEngagement,
  cosineAgainst,
  cosineSimilarity,
  decayProfile,
  emptyProfile,
  engagementStyle,
  peakHours,
  topicShift,
  topTopics,
  type EngagementEvent,
  type InterestProfile,
  type ProfileParams,
} from '../../src/domain/interest-profile.js';

const WEEK = 7 * DAY_MS;
const params: ProfileParams = { halfLifeMs: WEEK, topK: 50 };
/** 2026-03-02T00:00:00Z, a Monday. */
const T0 = Date.UTC(2026, 2, 2);

let seq = 0;
function event(type: EngagementType, topics: string[], occurredAtMs: number, extra: Partial<EngagementEvent> = {}) {
  return { eventId: `e${++seq}`, type, topics, occurredAtMs, ...extra } satisfies EngagementEvent;
}

function applyAll(profile: InterestProfile, events: EngagementEvent[]): InterestProfile {
  return events.reduce((p, e) => applyEngagement(p, e, params), profile);
}

function near(actual: number, expected: number, tolerance = 1e-9) {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
}

describe('engagement weights', () => {
  it('ranks actions by intent and makes skip, hide and report negative', () => {
    assert.ok(engagementWeight('view') < engagementWeight('like'));
    assert.ok(engagementWeight('like') < engagementWeight('share'));
    assert.ok(engagementWeight('skip') < 0 && engagementWeight('hide') < engagementWeight('skip'));
    assert.ok(engagementWeight('report') < engagementWeight('hide'));
  });

  it('log-scales and caps watch time and tips', () => {
    assert.equal(engagementWeight('watch_time', 0), 0);
    assert.equal(engagementWeight('watch_time', 15), 1);
    assert.ok(engagementWeight('watch_time', 60) < 4 * engagementWeight('watch_time', 15));
    assert.equal(engagementWeight('watch_time', 6 * 3600), 3);
    assert.ok(engagementWeight('tip', 100) > engagementWeight('tip', 1));
    assert.equal(engagementWeight('tip', 1e12), 10);
    assert.equal(engagementWeight('tip', Number.NaN), engagementWeight('tip', 0));
  });
});

describe('applyEngagement', () => {
  it('adds the weight split evenly over the content topics, without touching the input', () => {
    const before = emptyProfile('u1', T0);
    const after = applyEngagement(before, event('like', ['cooking', 'pasta'], T0, { contentType: 'short' }), params);
    assert.deepEqual(after.topics, { cooking: 1.5, pasta: 1.5 });
    assert.equal(after.contentTypes.short, 3);
    assert.equal(after.eventCounts.like, 1);
    assert.equal(after.appliedEvents, 1);
    assert.equal(after.lastEventAtMs, T0);
    assert.deepEqual(before, emptyProfile('u1', T0));
  });

  it('lets negative events lower an interest', () => {
    const liked = applyAll(emptyProfile('u1', T0), [event('like', ['cooking'], T0), event('like', ['cooking'], T0)]);
    const hidden = applyEngagement(liked, event('hide', ['cooking'], T0 + 1), params);
    assert.ok((hidden.topics.cooking ?? 0) < (liked.topics.cooking ?? 0));
    const reported = applyEngagement(hidden, event('report', ['cooking'], T0 + 2), params);
    assert.ok((reported.topics.cooking ?? 0) < 0, 'a report leaves a remembered dislike');
    assert.deepEqual(topTopics(reported, 5), []);
  });

  it('decays lazily to the event time: interest halves after one idle half-life', () => {
    const p1 = applyEngagement(emptyProfile('u1', T0), event('share', ['travel'], T0), params);
    const p2 = applyEngagement(p1, event('view', ['cats'], T0 + WEEK), params);
    near(p2.topics.travel ?? 0, 2.5);
    assert.equal(p2.topics.cats, 1);
    assert.equal(p2.updatedAtMs, T0 + WEEK);
  });

  it('keeps at most topK topics under many topics, the strongest ones', () => {
    const small: ProfileParams = { halfLifeMs: WEEK, topK: 10 };
    let p = emptyProfile('u1', T0);
    for (let i = 0; i < 200; i++) p = applyEngagement(p, event('view', [`topic-${i}`], T0 + i * 1000), small);
    p = applyEngagement(p, event('follow', ['music'], T0 + 300_000), small);
    assert.equal(Object.keys(p.topics).length, 10);
    assert.equal(topTopics(p, 1)[0]?.topic, 'music');
    assert.ok(p.topics['topic-199'] !== undefined, 'the most recent views survive, the oldest are dropped');
    assert.equal(p.topics['topic-0'], undefined);
  });

  it('forgets topics that decay to almost nothing', () => {
    const p = applyEngagement(emptyProfile('u1', T0), event('view', ['fad'], T0), params);
    assert.equal(decayProfile(p, T0 + 60 * DAY_MS, params).topics.fad, undefined);
  });

  it('treats topics like "constructor" and "__proto__" as plain keys', () => {
    const p = applyEngagement(emptyProfile('u1', T0), event('like', ['constructor', '__proto__'], T0), params);
    assert.equal(Object.getPrototypeOf(p.topics), Object.prototype);
    assert.deepEqual(JSON.parse(JSON.stringify(p.topics)), { constructor: 1.5, ['__proto__']: 1.5 });
  });

  it('ignores malformed events instead of throwing', () => {
    const p = emptyProfile('u1', T0);
    const bad = { eventId: 'x', type: 'poke', topics: ['a'], occurredAtMs: T0 } as unknown as EngagementEvent;
    assert.equal(applyEngagement(p, bad, params), p);
    assert.equal(applyEngagement(p, event('like', ['a'], Number.NaN), params), p);
  });

  it('survives a JSON round trip (continue-as-new, read model) with the same results', () => {
    const p = applyAll(emptyProfile('u1', T0), [event('like', ['a'], T0), event('view', ['b'], T0 + HOUR_MS)]);
    const restored = JSON.parse(JSON.stringify(p)) as InterestProfile;
    const next = event('comment', ['a'], T0 + DAY_MS);
    assert.deepEqual(applyEngagement(restored, next, params), applyEngagement(p, next, params));
  });
});

describe('out-of-order events', () => {
  it('never decays backwards and gives the same scores as in-order arrival', () => {
    const early = event('like', ['cooking'], T0);
    const late = event('share', ['travel'], T0 + 3 * DAY_MS);
    const inOrder = applyAll(emptyProfile('u1', T0), [early, late]);
    const reversed = applyAll(emptyProfile('u1', T0), [late, early]);
    assert.equal(reversed.updatedAtMs, T0 + 3 * DAY_MS);
    assert.equal(reversed.lastEventAtMs, T0 + 3 * DAY_MS);
    near(reversed.topics.cooking ?? 0, inOrder.topics.cooking ?? 0);
    near(reversed.topics.travel ?? 0, inOrder.topics.travel ?? 0);
    near(reversed.eventCounts.like, inOrder.eventCounts.like);
  });

  it('counts an event older than the profile at its decayed weight', () => {
    const ticked = decayProfile(emptyProfile('u1', T0), T0 + WEEK, params);
    const p = applyEngagement(ticked, event('like', ['jazz'], T0), params);
    assert.equal(p.updatedAtMs, T0 + WEEK);
    near(p.topics.jazz ?? 0, 1.5);
  });
});

describe('decayProfile', () => {
  it('halves every score, count and hour bucket after one half-life of idleness', () => {
    const p = applyEngagement(emptyProfile('u1', T0), event('like', ['a'], T0, { contentType: 'video' }), params);
    const later = decayProfile(p, T0 + WEEK, params);
    assert.equal(later.topics.a, 1.5);
    assert.equal(later.contentTypes.video, 1.5);
    assert.equal(later.eventCounts.like, 0.5);
    assert.equal(later.hours[0], 0.5);
    assert.equal(later.updatedAtMs, T0 + WEEK);
    assert.equal(decayProfile(later, T0, params), later, 'an earlier tick changes nothing');
  });
});

describe('hour histogram', () => {
  it('makes 20:00 UTC the peak when most events happen then, and decays', () => {
    const events = [0, 1, 2].flatMap((day) => [
      event('view', ['news'], T0 + day * DAY_MS + 20 * HOUR_MS + 5 * 60_000),
      event('like', ['news'], T0 + day * DAY_MS + 20 * HOUR_MS + 40 * 60_000),
    ]);
    events.push(event('view', ['news'], T0 + 2 * DAY_MS + 8 * HOUR_MS));
    const p = applyAll(emptyProfile('u1', T0), events);
    assert.deepEqual(peakHours(p, 2), [20, 8]);
    const idle = decayProfile(p, p.updatedAtMs + WEEK, params);
    near(idle.hours[20] ?? 0, (p.hours[20] ?? 0) / 2);
    assert.equal(peakHours(idle, 1)[0], 20);
    assert.deepEqual(peakHours(emptyProfile('u1', T0), 3), []);
  });
});

describe('engagementStyle', () => {
  function withMix(mix: Partial<Record<EngagementType, number>>): InterestProfile {
    const events = Object.entries(mix).flatMap(([type, n]) =>
      Array.from({ length: n }, () => event(type as EngagementType, ['x'], T0)),
    );
    return applyAll(emptyProfile('u1', T0), events);
  }

  it('classifies each style from the mix of events', () => {
    assert.equal(engagementStyle(emptyProfile('u1', T0)), 'lurker');
    assert.equal(engagementStyle(withMix({ view: 100, watch_time: 50, like: 2 })), 'lurker');
    assert.equal(engagementStyle(withMix({ view: 60, like: 30, follow: 5 })), 'liker');
    assert.equal(engagementStyle(withMix({ view: 60, like: 10, comment: 15 })), 'commenter');
    assert.equal(engagementStyle(withMix({ view: 60, like: 10, share: 12, comment: 2 })), 'sharer');
    assert.equal(engagementStyle(withMix({ view: 90, like: 10, tip: 4 })), 'tipper');
  });

  it('needs some activity before calling anyone anything but a lurker', () => {
    assert.equal(engagementStyle(withMix({ comment: 2 })), 'lurker');
  });

  it('follows recent behaviour as old counts decay', () => {
    let p = withMix({ view: 20, like: 20 });
    p = decayProfile(p, T0 + 10 * WEEK, params);
    p = applyAll(
      p,
      Array.from({ length: 10 }, (_, i) => event('comment', ['x'], T0 + 10 * WEEK + i)),
    );
    assert.equal(engagementStyle(p), 'commenter');
  });
});

describe('topicShift', () => {
  const base = { topics: { cooking: 5, travel: 3, jazz: 1 } };

  it('is 0 for identical top topics and for pure decay', () => {
    assert.equal(topicShift(base, base), 0);
    near(topicShift(base, { topics: { cooking: 2.5, travel: 1.5, jazz: 0.5 } }), 0);
  });

  it('is about 1 for disjoint top topics, and 1 from an empty profile', () => {
    near(topicShift(base, { topics: { gaming: 4, anime: 2 } }), 1);
    assert.equal(topicShift({ topics: {} }, base), 1);
    assert.equal(topicShift({ topics: {} }, { topics: {} }), 0);
  });

  it('grows with how much the mix changes', () => {
    const small = topicShift(base, { topics: { cooking: 5, travel: 3, jazz: 2 } });
    const large = topicShift(base, { topics: { cooking: 1, travel: 3, gaming: 6 } });
    assert.ok(small > 0 && small < large && large < 1);
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for proportional vectors, 0 for disjoint or empty ones, symmetric otherwise', () => {
    near(cosineSimilarity({ a: 1, b: 2 }, { a: 2, b: 4 }), 1);
    assert.equal(cosineSimilarity({ a: 1 }, { b: 1 }), 0);
    assert.equal(cosineSimilarity({}, { a: 1 }), 0);
    near(cosineSimilarity({ a: 1, b: 1 }, { a: 1 }), Math.SQRT1_2);
    near(cosineSimilarity({ a: 3, b: 1 }, { a: 1, c: 2 }), cosineSimilarity({ a: 1, c: 2 }, { a: 3, b: 1 }));
    near(cosineSimilarity({ a: 1 }, { a: -2 }), -1);
  });
});

describe('cosineAgainst', () => {
  it('gives the same value as cosine similarity of the two maps, for every vector it is asked about', () => {
    const user = { a: 0.9, b: -0.4, c: 0.2 };
    const others: Array<Record<string, number>> = [{ a: 1 }, { b: 2, c: 1 }, {}, { d: 5 }, { a: -1, b: 1, c: 0.5 }];
    const against = cosineAgainst(user);
    for (const other of others) {
      const maps = [new Map(Object.entries(user)), new Map(Object.entries(other))] as const;
      let dot = 0;
      for (const [topic, x] of maps[0]) dot += x * (maps[1].get(topic) ?? 0);
      const norm = (m: Map<string, number>) => Math.sqrt([...m.values()].reduce((s, x) => s + x * x, 0));
      const expected = norm(maps[0]) * norm(maps[1]) === 0 ? 0 : dot / (norm(maps[0]) * norm(maps[1]));
      assert.equal(against(other), expected);
    }
  });
});
