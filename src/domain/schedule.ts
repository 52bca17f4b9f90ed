// A TV station's schedule as a value: every operation takes the current schedule and returns either the new
// one with the affected show, or a typed rejection. The station workflow keeps the value in its state and
// calls these from its update handlers; ids come from the caller so a retried update is idempotent.
import { liveShow, sortSchedule } from './schedule-clock.js';
import {
  reject,
  showEndMs,
  validateNewShow,
  type Schedule,
  type ScheduleLimits,
  type ScheduleRejection,
  type Show,
} from './schedule-rules.js';

export * from './schedule-clock.js';
export * from './schedule-rules.js';

export type ScheduleChange = { ok: true; schedule: Show[]; show: Show } | ScheduleRejection;

export interface NewShow {
  showId: string;
  title: string;
  startMs: number;
  durationMs: number;
}

const replaced = (schedule: Schedule, show: Show): Show[] =>
  sortSchedule([...schedule.filter((s) => s.showId !== show.showId), show]);

const unchanged = (schedule: Schedule, show: Show): ScheduleChange => ({ ok: true, schedule: [...schedule], show });

const notFound = (showId: string): ScheduleRejection => reject('not_found', `No show ${showId} on this station.`);

export function scheduleShow(
  schedule: Schedule,
  candidate: NewShow,
  nowMs: number,
  limits?: ScheduleLimits,
): ScheduleChange {
  const existing = schedule.find((s) => s.showId === candidate.showId);
  if (existing) {
    const same =
      existing.status === 'scheduled' &&
      existing.title === candidate.title &&
      existing.startMs === candidate.startMs &&
      existing.durationMs === candidate.durationMs;
    // A retried request finds its own show already in place.
    return same ? unchanged(schedule, existing) : reject('duplicate_id', `Show ${candidate.showId} already exists.`);
  }
  const check = validateNewShow(schedule, candidate, nowMs, { limits });
  if (!check.ok) return check;
  const show: Show = { ...candidate, status: 'scheduled' };
  return { ok: true, schedule: replaced(schedule, show), show };
}

export function reschedule(
  schedule: Schedule,
  showId: string,
  change: { startMs: number; durationMs?: number },
  nowMs: number,
  limits?: ScheduleLimits,
): ScheduleChange {
  const show = schedule.find((s) => s.showId === showId);
  if (!show) return notFound(showId);
  if (show.status !== 'scheduled')
    return reject('not_scheduled', `Show ${showId} is ${show.status}; only scheduled shows move.`);
  const moved: Show = { ...show, startMs: change.startMs, durationMs: change.durationMs ?? show.durationMs };
  const check = validateNewShow(schedule, moved, nowMs, { ignoreShowId: showId, limits });
  if (!check.ok) return check;
  return { ok: true, schedule: replaced(schedule, moved), show: moved };
}

export function cancel(schedule: Schedule, showId: string, nowMs: number): ScheduleChange {
  const show = schedule.find((s) => s.showId === showId);
  if (!show) return notFound(showId);
  if (show.status === 'cancelled') return unchanged(schedule, show);
  if (show.status !== 'scheduled') {
    return reject('not_scheduled', `Show ${showId} is ${show.status}; a live show is ended, not cancelled.`);
  }
  const cancelled: Show = { ...show, status: 'cancelled', finishedAtMs: nowMs };
  return { ok: true, schedule: replaced(schedule, cancelled), show: cancelled };
}

/**
 * Goes live now. With the id of a scheduled show, that show starts early and keeps its planned end; with a new
 * id (chosen by the caller), an unscheduled show occupies [now, now + durationMs). One live show at a time.
 */
export function goLiveNow(
  schedule: Schedule,
  request: { showId: string; title: string; durationMs: number },
  nowMs: number,
  limits?: ScheduleLimits,
): ScheduleChange {
  const live = liveShow(schedule);
  if (live?.showId === request.showId) return unchanged(schedule, live);
  if (live) return reject('already_live', `"${live.title}" is live; end it before going live again.`);
  const existing = schedule.find((s) => s.showId === request.showId);
  if (existing && existing.status !== 'scheduled') {
    return reject('duplicate_id', `Show ${request.showId} already exists and is ${existing.status}.`);
  }
  if (existing && showEndMs(existing) <= nowMs)
    return reject('in_past', `The slot of show ${existing.showId} has passed.`);
  // Starting a booked show early stretches it back to now; its planned end stays.
  const startMs = existing ? Math.min(existing.startMs, nowMs) : nowMs;
  const slot = { startMs, durationMs: existing ? showEndMs(existing) - startMs : request.durationMs };
  const check = validateNewShow(schedule, slot, nowMs, { ignoreShowId: existing?.showId, startsNow: true, limits });
  if (!check.ok) return check;
  const show: Show = {
    ...(existing ?? { showId: request.showId, title: request.title }),
    ...slot,
    status: 'live',
    wentLiveAtMs: nowMs,
  };
  return { ok: true, schedule: replaced(schedule, show), show };
}

/** Ends the live show (`showId` null: whichever is live). Ending an already-ended show again is a no-op. */
export function endLive(schedule: Schedule, showId: string | null, nowMs: number): ScheduleChange {
  const target = showId === null ? liveShow(schedule) : schedule.find((s) => s.showId === showId);
  if (target?.status === 'ended' && target.wentLiveAtMs !== undefined) return unchanged(schedule, target);
  if (!target || target.status !== 'live')
    return reject('not_live', showId ? `Show ${showId} is not live.` : 'Nothing is live.');
  const ended: Show = { ...target, status: 'ended', finishedAtMs: nowMs };
  return { ok: true, schedule: replaced(schedule, ended), show: ended };
}
