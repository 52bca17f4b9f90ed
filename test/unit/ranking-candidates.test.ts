import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyProfile } from '../../src/domain/interest-profile.js';
import { poolCandidates, type CandidatePools } from '../../src/ranking/candidate-pools.js';
import {
  assembleCandidates,
  newestOf,
  type SourceItem,
  type UserSignals,
} from '../../src/ranking/candidate-sources.js';
import { DEFAULT_CANDIDATE_LIMITS } from '../../src/ranking/candidates.js';
import type { ContentType } from '../../src/domain/engagement.js';

const source = (id: string, creatorId: string, createdAtMs: number, type: ContentType = 'video', topics = ['t']) =>
  ({
    item: { contentId: id, creatorId, type, topics, createdAtMs, popularity: { views: 0, likes: 0, shares: 0 } },
    creator: { score: 0, tier: 'bronze' },
  }) satisfies SourceItem;

const signals = (over: Partial<UserSignals> = {}): UserSignals => ({
  followed: new Set(),
  blockedCreators: new Set(),
  seenContent: new Set(),
  contentTypeOptOuts: new Set(),
  ...over,
});
const ids = (items: ReadonlyArray<{ item: { contentId: string } }>) => items.map((c) => c.item.contentId);

describe('candidate assembly (online and batch alike)', () => {
  it('keeps the union in source order without repeats, and marks followed creators', () => {
    const a = source('a', 'x', 3);
    const b = source('b', 'y', 2);
    const c = source('c', 'z', 1);
    const out = assembleCandidates([[a, b], [b, c], [a]], signals({ followed: new Set(['y']) }));
    assert.deepEqual(ids(out), ['a', 'b', 'c']);
    assert.deepEqual(
      out.map((o) => o.followsCreator),
      [false, true, false],
    );
  });

  it('drops blocked creators, seen items and opted-out content types', () => {
    const items = [source('a', 'x', 5), source('b', 'spam', 4), source('c', 'y', 3), source('d', 'y', 2, 'live')];
    const out = assembleCandidates(
      [items],
      signals({
        blockedCreators: new Set(['spam']),
        seenContent: new Set(['c']),
        contentTypeOptOuts: new Set(['live']),
      }),
    );
    assert.deepEqual(ids(out), ['a']);
  });

  it('newestOf gives the newest N of the union of newest-first lists, as one sorted query would', () => {
    const one = [source('a', 'x', 9), source('b', 'x', 5), source('c', 'x', 1)];
    const two = [source('d', 'y', 8), source('b', 'x', 5), source('e', 'y', 4)];
    assert.deepEqual(ids(newestOf([one, undefined, two], 4)), ['a', 'd', 'b', 'e']);
    // Many lists (a user following many creators) take the sorting path: same answer.
    const many = Array.from({ length: 40 }, (_, i) => [source(`m${i}`, `c${i}`, i), source('shared', 'x', 100)]);
    assert.deepEqual(ids(newestOf(many, 3)), ['shared', 'm39', 'm38']);
  });
});

describe('poolCandidates (batch scoring)', () => {
  const pools: CandidatePools = {
    byTopic: new Map([
      ['jazz', [source('j2', 'm', 20, 'video', ['jazz']), source('j1', 'm', 10, 'live', ['jazz'])]],
      ['chess', [source('c1', 'p', 15, 'short', ['chess'])]],
    ]),
    byCreator: new Map([['chef', [source('k1', 'chef', 30, 'live', ['food']), source('k0', 'chef', 1)]]]),
    trending: [source('t1', 'q', 5)],
    fresh: [source('k1', 'chef', 30, 'live', ['food']), source('j2', 'm', 20, 'video', ['jazz'])],
    items: 6,
  };

  it("cuts the user's follow and topic sources from the pools, then trending and fresh", () => {
    const profile = { ...emptyProfile('u', 0), topics: { jazz: 5, chess: 1 } };
    const out = poolCandidates(pools, profile, signals({ followed: new Set(['chef']) }), DEFAULT_CANDIDATE_LIMITS);
    assert.deepEqual(ids(out), ['k1', 'k0', 'j2', 'c1', 'j1', 't1']);
    assert.ok(out.filter((c) => c.item.creatorId === 'chef').every((c) => c.followsCreator));
  });

  it('leaves out the content types the profile opted out of', () => {
    const profile = { ...emptyProfile('u', 0), topics: { jazz: 5 }, contentTypeOptOuts: ['live' as const] };
    const out = poolCandidates(
      pools,
      profile,
      signals({ followed: new Set(['chef']), contentTypeOptOuts: new Set(profile.contentTypeOptOuts) }),
      DEFAULT_CANDIDATE_LIMITS,
    );
    assert.deepEqual(ids(out), ['k0', 'j2', 't1']);
  });
});
