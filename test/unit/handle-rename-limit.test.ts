import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRenameLimit } from '../../src/domain/identity.js';

const DAY = 86_400_000;
const limit = { max: 2, periodDays: 30 };

describe('checkRenameLimit', () => {
  it('allows renames up to the limit and records them', () => {
    assert.deepEqual(checkRenameLimit([], 100 * DAY, limit, false), { ok: true, renamedAt: [100 * DAY] });
    assert.deepEqual(checkRenameLimit([99 * DAY], 100 * DAY, limit, false), {
      ok: true,
      renamedAt: [99 * DAY, 100 * DAY],
    });
  });

  it('refuses past the limit until the oldest counted rename leaves the period', () => {
    assert.deepEqual(checkRenameLimit([90 * DAY, 95 * DAY], 100 * DAY, limit, false), {
      ok: false,
      retryAtMs: 120 * DAY,
    });
    assert.deepEqual(checkRenameLimit([10 * DAY, 90 * DAY, 95 * DAY], 100 * DAY, limit, false), {
      ok: false,
      retryAtMs: 120 * DAY,
    });
  });

  it('forgets renames older than the period, and does not count a free one', () => {
    assert.deepEqual(checkRenameLimit([60 * DAY, 95 * DAY], 100 * DAY, limit, false), {
      ok: true,
      renamedAt: [95 * DAY, 100 * DAY],
    });
    assert.deepEqual(checkRenameLimit([90 * DAY, 95 * DAY], 100 * DAY, limit, true), {
      ok: true,
      renamedAt: [90 * DAY, 95 * DAY],
    });
  });
});
