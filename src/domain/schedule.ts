// A TV station's schedule as a value: every operation takes the current schedule and returns either the new
// one with the affected show, or a typed rejection. The station workflow keeps the value in its state and
// calls these from its update handlers; ids come from the caller so a retried update is idempotent.
import { liveShow, sortSchedule } from './schedule-clock.js';
import {
  reject,
  SCHEDULE_LIMITS,
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

export interface GoLive {
  showId: string;
  /** Required for an unscheduled show; for a booked one, replaces its title when given. */
  title?: string;
  /** Required for an unscheduled show; for a booked one, sets its end to now + durationMs when given. */
  durationMs?: number;
}

/**
 * Goes live now. With a new id (chosen by the caller), an unscheduled show occupies [now, now + durationMs). With
 * the id of a scheduled show, that show starts early: a given title replaces its own, a given duration runs from
 * now; without a duration it keeps its planned end, unless that is more than a show may last (booked for
 * tomorrow), in which case it keeps its planned length from now. One live show at a time.
 */
export function goLiveNow(
  schedule: Schedule,
  request: GoLive,
  nowMs: number,
  limits: ScheduleLimits = SCHEDULE_LIMITS,
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
  if (!existing && (request.title === undefined || request.durationMs === undefined)) {
    return reject('incomplete', 'An unscheduled show needs a title and a duration.');
  }
  const slot = existing
    ? earlySlot(existing, request.durationMs, nowMs, limits)
    : { startMs: nowMs, durationMs: request.durationMs ?? 0 };
  const check = validateNewShow(schedule, slot, nowMs, { ignoreShowId: existing?.showId, startsNow: true, limits });
  if (!check.ok) return check;
  const base = existing ?? { showId: request.showId, title: request.title ?? '' };
  const title = request.title ?? base.title;
  const show: Show = { ...base, title, ...slot, status: 'live', wentLiveAtMs: nowMs };
  return { ok: true, schedule: replaced(schedule, show), show };
}

/** The slot of a booked show started at `nowMs`. */
function earlySlot(
  show: Show,
  durationMs: number | undefined,
  nowMs: number,
  limits: ScheduleLimits,
): { startMs: number; durationMs: number } {
  const startMs = Math.min(show.startMs, nowMs);
  if (durationMs !== undefined) return { startMs, durationMs };
  const untilPlannedEnd = showEndMs(show) - startMs;
  const keepsLength = untilPlannedEnd > limits.maxDurationMs;
  return { startMs, durationMs: keepsLength ? show.durationMs : untilPlannedEnd };
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
