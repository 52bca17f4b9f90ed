import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compareText } from '../../src/domain/interest-profile.js';
import { pickSimilarUsers, type ScoredUser } from '../../src/domain/similar-users.js';

let state = 11;
const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

/** The ranking by its definition: every candidate sorted. */
function sortedPick(userId: string, scored: readonly ScoredUser[], limit: number): ScoredUser[] {
  return scored
    .filter((c) => c.userId !== userId && c.similarity > 0)
    .sort((a, b) => b.similarity - a.similarity || compareText(a.userId, b.userId))
    .slice(0, Math.max(0, limit));
}

describe('pickSimilarUsers', () => {
  it('keeps the same users in the same order as sorting every candidate', () => {
    const user = { userId: 'u0', topics: { jazz: 1 } };
    for (let round = 0; round < 200; round++) {
      // Few distinct similarities, so ties (broken by user id) are common; the user itself and non-positive
      // similarities among them, in any order.
      const scored = Array.from({ length: Math.floor(random() * 120) }, () => ({
        userId: `u${Math.floor(random() * 400)}`,
        similarity: Math.floor(random() * 8) / 4 - 0.5,
      }));
      const limit = Math.floor(random() * 30) - 2;
      const picked = pickSimilarUsers(user, scored, limit, () => ({ jazz: 1 }));
      const expected = sortedPick(user.userId, scored, limit);
      assert.deepEqual(
        picked.map((p) => [p.userId, p.similarity]),
        expected.map((p) => [p.userId, p.similarity]),
      );
    }
  });

  it('names the topics both share, strongest first', () => {
    const user = { userId: 'u0', topics: { jazz: 2, rock: 1, news: -1 } };
    const scored = [{ userId: 'u1', similarity: 0.5 }];
    const [picked] = pickSimilarUsers(user, scored, 5, () => ({ rock: 3, jazz: 1, news: 2 }));
    assert.deepEqual(picked?.sharedTopics, ['rock', 'jazz']);
  });
});
