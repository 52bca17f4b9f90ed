import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  advanceSchedule,
  cancel,
  endLive,
  goLiveNow,
  nextShowToStart,
  nextTransition,
  pruneFinished,
  rejectionStatus,
  reschedule,
  scheduleShow,
  stationStatus,
  validateNewShow,
  type NewShow,
  type Schedule,
  type ScheduleChange,
  type Show,
} from '../../src/domain/schedule.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2025, 2, 1, 12, 0, 0);

function ok(change: ScheduleChange): { schedule: Show[]; show: Show } {
  if (!change.ok) assert.fail(`expected ok, got ${change.code}: ${change.message}`);
  return change;
}

function build(...shows: NewShow[]): Show[] {
  let schedule: Show[] = [];
  for (const show of shows) schedule = ok(scheduleShow(schedule, show, NOW)).schedule;
  return schedule;
}

const show = (showId: string, startMs: number, durationMs = HOUR): NewShow => ({
  showId,
  title: `Show ${showId}`,
  startMs,
  durationMs,
});

describe('validateNewShow', () => {
  const base = build(show('a', NOW + HOUR));

  it('rejects an overlap with the conflicting show as a 409', () => {
    const result = validateNewShow(base, { startMs: NOW + HOUR + 30 * MIN, durationMs: HOUR }, NOW);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.code === 'overlap');
    assert.equal(result.conflict.showId, 'a');
    assert.match(result.message, /Show a/);
    assert.equal(rejectionStatus(result.code), 409);
  });

  it('rejects a show enclosing another one', () => {
    const result = validateNewShow(base, { startMs: NOW + 30 * MIN, durationMs: 3 * HOUR }, NOW);
    assert.ok(!result.ok && result.code === 'overlap');
  });

  it('allows back-to-back shows touching at the boundary', () => {
    assert.deepEqual(validateNewShow(base, { startMs: NOW + 2 * HOUR, durationMs: HOUR }, NOW), { ok: true });
    assert.deepEqual(validateNewShow(base, { startMs: NOW, durationMs: HOUR }, NOW), { ok: true });
  });

  it('ignores cancelled and ended shows', () => {
    const schedule = ok(cancel(base, 'a', NOW)).schedule;
    assert.deepEqual(validateNewShow(schedule, { startMs: NOW + HOUR, durationMs: HOUR }, NOW), { ok: true });
  });

  it('rejects starts in the past beyond a small grace as 422', () => {
    const result = validateNewShow([], { startMs: NOW - 5 * MIN, durationMs: HOUR }, NOW);
    assert.ok(!result.ok && result.code === 'in_past');
    assert.equal(rejectionStatus(result.code), 422);
    assert.deepEqual(validateNewShow([], { startMs: NOW - 30_000, durationMs: HOUR }, NOW), { ok: true });
  });

  it('rejects absurd durations, far-future starts and non-numbers', () => {
    const code = (startMs: number, durationMs: number): string => {
      const r = validateNewShow([], { startMs, durationMs }, NOW);
      return r.ok ? 'ok' : r.code;
    };
    assert.equal(code(NOW + HOUR, 0), 'duration_too_short');
    assert.equal(code(NOW + HOUR, -HOUR), 'duration_too_short');
    assert.equal(code(NOW + HOUR, 30_000), 'duration_too_short');
    assert.equal(code(NOW + HOUR, 25 * HOUR), 'duration_too_long');
    assert.equal(code(NOW + HOUR, 24 * HOUR), 'ok');
    assert.equal(code(NOW + 400 * 24 * HOUR, HOUR), 'too_far_ahead');
    assert.equal(code(Number.NaN, HOUR), 'invalid_time');
    assert.equal(code(NOW + HOUR, Infinity), 'invalid_time');
  });
});

describe('schedule operations', () => {
  it('keeps the schedule sorted and treats a retried request as a no-op', () => {
    const schedule = build(show('late', NOW + 5 * HOUR), show('early', NOW + HOUR));
    assert.deepEqual(
      schedule.map((s) => s.showId),
      ['early', 'late'],
    );
    assert.equal(ok(scheduleShow(schedule, show('early', NOW + HOUR), NOW)).schedule.length, 2);
    const clash = scheduleShow(schedule, show('early', NOW + 9 * HOUR), NOW);
    assert.ok(!clash.ok && clash.code === 'duplicate_id');
  });

  it('cancels a scheduled show idempotently but not a live one', () => {
    const schedule = build(show('a', NOW + HOUR));
    const cancelled = ok(cancel(schedule, 'a', NOW));
    assert.equal(cancelled.show.status, 'cancelled');
    assert.equal(schedule[0]?.status, 'scheduled', 'input not mutated');
    assert.equal(ok(cancel(cancelled.schedule, 'a', NOW)).show.status, 'cancelled');
    assert.equal(nextTransition(cancelled.schedule, NOW), null);
    const missing = cancel(schedule, 'nope', NOW);
    assert.ok(!missing.ok && missing.code === 'not_found' && rejectionStatus(missing.code) === 404);
    const live = ok(goLiveNow([], { showId: 'l', title: 'Live', durationMs: HOUR }, NOW)).schedule;
    const refused = cancel(live, 'l', NOW);
    assert.ok(!refused.ok && refused.code === 'not_scheduled');
  });

  it('reschedules, but not into an overlap', () => {
    const schedule = build(show('a', NOW + HOUR), show('b', NOW + 3 * HOUR));
    const moved = ok(reschedule(schedule, 'a', { startMs: NOW + 2 * HOUR }, NOW));
    assert.equal(moved.show.startMs, NOW + 2 * HOUR);
    assert.equal(moved.show.durationMs, HOUR);
    const into = reschedule(schedule, 'a', { startMs: NOW + 3 * HOUR + 30 * MIN }, NOW);
    assert.ok(!into.ok && into.code === 'overlap' && into.conflict.showId === 'b');
    const longer = reschedule(schedule, 'a', { startMs: NOW + HOUR, durationMs: 2 * HOUR + MIN }, NOW);
    assert.ok(!longer.ok && longer.code === 'overlap');
    const past = reschedule(schedule, 'a', { startMs: NOW - HOUR }, NOW);
    assert.ok(!past.ok && past.code === 'in_past');
  });

  it('refuses to go live while another show is live', () => {
    const live = ok(goLiveNow([], { showId: 'x', title: 'X', durationMs: HOUR }, NOW));
    assert.equal(live.show.status, 'live');
    assert.equal(live.show.wentLiveAtMs, NOW);
    assert.equal(stationStatus(live.schedule), 'live');
    const second = goLiveNow(live.schedule, { showId: 'y', title: 'Y', durationMs: HOUR }, NOW + MIN);
    assert.ok(!second.ok && second.code === 'already_live' && rejectionStatus(second.code) === 409);
    assert.equal(ok(goLiveNow(live.schedule, { showId: 'x', title: 'X', durationMs: HOUR }, NOW)).schedule.length, 1);
  });

  it('refuses an unscheduled live show that would run into a booked one', () => {
    const schedule = build(show('a', NOW + 30 * MIN));
    const result = goLiveNow(schedule, { showId: 'x', title: 'X', durationMs: HOUR }, NOW);
    assert.ok(!result.ok && result.code === 'overlap' && result.conflict.showId === 'a');
    assert.ok(ok(goLiveNow(schedule, { showId: 'x', title: 'X', durationMs: 30 * MIN }, NOW)).show);
  });

  it('starts a booked show early, keeping its planned end', () => {
    const schedule = build(show('a', NOW + 10 * MIN));
    const live = ok(goLiveNow(schedule, { showId: 'a' }, NOW)).show;
    assert.deepEqual([live.startMs, live.durationMs, live.title], [NOW, 70 * MIN, 'Show a']);
  });

  it('ends the live show, idempotently', () => {
    const live = ok(goLiveNow([], { showId: 'x', title: 'X', durationMs: HOUR }, NOW)).schedule;
    const ended = ok(endLive(live, null, NOW + 10 * MIN));
    assert.deepEqual([ended.show.status, ended.show.finishedAtMs], ['ended', NOW + 10 * MIN]);
    assert.equal(ok(endLive(ended.schedule, 'x', NOW + 11 * MIN)).show.finishedAtMs, NOW + 10 * MIN);
    const nothing = endLive(ended.schedule, null, NOW);
    assert.ok(!nothing.ok && nothing.code === 'not_live');
    assert.equal(stationStatus(ended.schedule), 'offline');
  });
});

describe('timers', () => {
  const schedule: Schedule = build(
    show('a', NOW + HOUR),
    show('b', NOW + 2 * HOUR, 30 * MIN),
    show('c', NOW + 5 * HOUR),
  );

  it('finds the next show and the next transition in order', () => {
    assert.equal(nextShowToStart(schedule, NOW)?.showId, 'a');
    assert.deepEqual(nextTransition(schedule, NOW), { atMs: NOW + HOUR, kind: 'start', showId: 'a' });
    let current: Schedule = schedule;
    const seen: string[] = [];
    for (let t = nextTransition(current, NOW); t; t = nextTransition(current, t.atMs)) {
      const step = advanceSchedule(current, t.atMs);
      const at = (t.atMs - NOW) / MIN;
      seen.push(
        ...step.ended.map((s) => `end:${s.showId}@${at}`),
        ...step.started.map((s) => `start:${s.showId}@${at}`),
      );
      current = step.schedule;
    }
    // Back-to-back a→b: one wake-up ends a and then starts b.
    assert.deepEqual(seen, ['start:a@60', 'end:a@120', 'start:b@120', 'end:b@150', 'start:c@300', 'end:c@360']);
    const handover = advanceSchedule(schedule, NOW + HOUR).schedule;
    assert.deepEqual(nextTransition(handover, NOW + HOUR), { atMs: NOW + 2 * HOUR, kind: 'end', showId: 'a' });
  });

  it('advances due shows, reports starts and ends, and never leaves a due transition behind', () => {
    const atStart = advanceSchedule(schedule, NOW + HOUR);
    assert.deepEqual(
      atStart.started.map((s) => s.showId),
      ['a'],
    );
    assert.equal(stationStatus(atStart.schedule), 'live');
    const handover = advanceSchedule(atStart.schedule, NOW + 2 * HOUR);
    assert.deepEqual([handover.ended.map((s) => s.showId), handover.started.map((s) => s.showId)], [['a'], ['b']]);
    const t = nextTransition(handover.schedule, NOW + 2 * HOUR);
    assert.ok(t && t.atMs > NOW + 2 * HOUR);
  });

  it('marks shows whose whole slot passed during an outage as missed, not started', () => {
    const late = advanceSchedule(schedule, NOW + 4 * HOUR);
    assert.deepEqual(
      late.missed.map((s) => s.showId),
      ['a', 'b'],
    );
    assert.deepEqual(late.started, []);
    assert.equal(nextShowToStart(late.schedule, NOW + 4 * HOUR)?.showId, 'c');
    assert.ok((nextTransition(late.schedule, NOW + 4 * HOUR)?.atMs ?? 0) > NOW + 4 * HOUR);
  });

  it('reports a late timer as already due', () => {
    const t = nextTransition(schedule, NOW + HOUR + 5 * MIN);
    assert.deepEqual(t, { atMs: NOW + HOUR, kind: 'start', showId: 'a' });
  });

  it('prunes finished shows beyond `keep`, oldest archived first', () => {
    let current: Show[] = advanceSchedule(schedule, NOW + 6 * HOUR + MIN).schedule;
    current = ok(scheduleShow(current, show('d', NOW + 7 * HOUR), NOW + 6 * HOUR)).schedule;
    current = ok(cancel(current, 'd', NOW + 6 * HOUR + 2 * MIN)).schedule;
    const { schedule: kept, archived } = pruneFinished(current, 2);
    assert.deepEqual(
      archived.map((s) => s.showId),
      ['a', 'b'],
    );
    assert.deepEqual(
      kept.map((s) => s.showId),
      ['c', 'd'],
    );
    assert.equal(pruneFinished(kept, 0).schedule.length, 0);
    const upcoming = pruneFinished(build(show('z', NOW + HOUR)), 0);
    assert.deepEqual([upcoming.schedule.length, upcoming.archived.length], [1, 0]);
  });
});
