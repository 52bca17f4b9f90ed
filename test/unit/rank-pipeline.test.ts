import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyProfile } from '../../src/domain/interest-profile.js';
import { fallbackRanker, type Ranker } from '../../src/ranking/fallback-ranker.js';
import type { Candidate } from '../../src/ranking/features.js';
import { rankCandidates, rankMany, resolveRanker } from '../../src/ranking/rank.js';

const NOW = Date.UTC(2025, 2, 10, 20);
const profile = { ...emptyProfile('u', NOW), topics: { jazz: 5 }, appliedEvents: 10 };

function candidate(contentId: string, creatorId: string, topics: string[]): Candidate {
  return {
    item: { contentId, creatorId, type: 'video', topics, createdAtMs: NOW - 3_600_000, popularity: { views: 100, likes: 5, shares: 1 } }, // prettier-ignore
    creator: { score: 50, tier: 'gold' },
    followsCreator: false,
  };
}
const candidates = [
  candidate('chess-1', 'a', ['chess']),
  candidate('jazz-1', 'b', ['jazz']),
  candidate('jazz-2', 'c', ['jazz']),
  candidate('spam-1', 'spammer', ['jazz']),
  candidate('seen-1', 'd', ['jazz']),
];
const rules = { blockedCreators: new Set(['spammer']), seenContent: new Set(['seen-1']) };

describe('ranking pipeline', () => {
  it('serves with the fallback, saying why, when the model file is missing', async () => {
    const choice = await resolveRanker('/nonexistent/ranker.onnx');
    assert.equal(choice.ranker.name, 'fallback');
    assert.match(choice.reason ?? '', /ENOENT/);
    const feed = await rankCandidates({ profile, candidates, rules, nowMs: NOW }, choice);
    assert.equal(feed.ranker, 'fallback');
    assert.deepEqual(
      feed.items.map((i) => i.contentId),
      ['jazz-1', 'jazz-2', 'chess-1'],
      'interests first; blocked creator and seen item out',
    );
  });

  it('falls back for the request when the model throws while scoring', async () => {
    const broken: Ranker = { name: 'onnx', version: 'broken-1', scoreBatch: () => Promise.reject(new Error('session lost')) }; // prettier-ignore
    const feed = await rankCandidates({ profile, candidates, rules, nowMs: NOW }, { ranker: broken });
    assert.equal(feed.ranker, 'fallback');
    assert.equal(feed.rankerVersion, fallbackRanker.version);
    assert.match(feed.fallbackReason ?? '', /session lost/);
    assert.equal(feed.items.length, 3);
  });

  it('uses the shipped ONNX model when it loads, with the same rules applied', async () => {
    const choice = await resolveRanker(undefined);
    assert.equal(choice.ranker.name, 'onnx');
    const feed = await rankCandidates({ profile, candidates, rules, nowMs: NOW }, choice);
    assert.equal(feed.ranker, 'onnx');
    assert.equal(feed.fallbackReason, undefined);
    assert.deepEqual(feed.items.map((i) => i.contentId).sort(), ['chess-1', 'jazz-1', 'jazz-2']);
  });

  it('ranks several users in one model call exactly as it ranks each alone (batch scoring)', async () => {
    const choice = await resolveRanker(undefined);
    assert.equal(choice.ranker.name, 'onnx');
    let calls = 0;
    const counting: Ranker = {
      ...choice.ranker,
      scoreBatch: (m, rows) => (calls++, choice.ranker.scoreBatch(m, rows)),
    };
    const chessFan = { ...emptyProfile('v', NOW), topics: { chess: 4 }, appliedEvents: 3 };
    const inputs = [
      { profile, candidates, rules, nowMs: NOW },
      { profile: chessFan, candidates: candidates.slice(0, 3), rules: { blockedCreators: new Set<string>(), seenContent: new Set<string>() }, nowMs: NOW }, // prettier-ignore
      { profile: null, candidates: [], rules, nowMs: NOW },
    ];
    const together = await rankMany(inputs, { ranker: counting });
    assert.equal(calls, 1);
    const alone = await Promise.all(inputs.map((input) => rankCandidates(input, choice)));
    assert.deepEqual(together, alone);
    assert.equal(together[1]?.items[0]?.contentId, 'chess-1', "each user's own profile ranks their rows");
  });
});
