import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goLiveNow, scheduleShow, type ScheduleChange, type Show } from '../../src/domain/schedule.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2025, 2, 1, 12, 0, 0);

function ok(change: ScheduleChange): { schedule: Show[]; show: Show } {
  if (!change.ok) assert.fail(`expected ok, got ${change.code}: ${change.message}`);
  return change;
}
const booked = (startMs: number, durationMs = HOUR): Show[] =>
  ok(scheduleShow([], { showId: 'a', title: 'Booked', startMs, durationMs }, NOW)).schedule;
const slot = (s: Show) => ({ title: s.title, startMs: s.startMs, endMs: s.startMs + s.durationMs });

describe('going live early with a booked show', () => {
  it('applies a given title and duration: the show runs from now for that long', () => {
    const live = ok(goLiveNow(booked(NOW + 10 * MIN), { showId: 'a', title: 'Renamed', durationMs: 30 * MIN }, NOW));
    assert.deepEqual(slot(live.show), { title: 'Renamed', startMs: NOW, endMs: NOW + 30 * MIN });
  });

  it('keeps the booked title and planned end when they are not given', () => {
    const live = ok(goLiveNow(booked(NOW + 10 * MIN), { showId: 'a' }, NOW));
    assert.deepEqual(slot(live.show), { title: 'Booked', startMs: NOW, endMs: NOW + 70 * MIN });
  });

  it('starts a show booked for tomorrow: its planned length from now, or the given duration', () => {
    const tomorrow = booked(NOW + DAY + 2 * HOUR, 90 * MIN);
    assert.deepEqual(slot(ok(goLiveNow(tomorrow, { showId: 'a' }, NOW)).show), {
      title: 'Booked',
      startMs: NOW,
      endMs: NOW + 90 * MIN,
    });
    const given = ok(goLiveNow(tomorrow, { showId: 'a', title: 'Now', durationMs: 20 * MIN }, NOW)).show;
    assert.deepEqual(slot(given), { title: 'Now', startMs: NOW, endMs: NOW + 20 * MIN });
  });

  it('refuses a given duration that runs into the next booked show', () => {
    const schedule = ok(
      scheduleShow(booked(NOW + 10 * MIN), { showId: 'b', title: 'B', startMs: NOW + 2 * HOUR, durationMs: HOUR }, NOW),
    ).schedule;
    const result = goLiveNow(schedule, { showId: 'a', durationMs: 3 * HOUR }, NOW);
    assert.ok(!result.ok && result.code === 'overlap');
  });

  it('needs a title and a duration for an unscheduled show', () => {
    const result = goLiveNow([], { showId: 'new' }, NOW);
    assert.ok(!result.ok && result.code === 'incomplete');
  });
});
