// What may go into a TV station's schedule. The station workflow runs these checks in its update validators,
// so a refused request reaches the API as a typed rejection (code + human message) before anything is
// written to history.

export type ShowStatus = 'scheduled' | 'live' | 'ended' | 'cancelled';

export interface Show {
  showId: string;
  title: string;
  /** Planned slot [startMs, startMs + durationMs); for a show started early or unscheduled, the live slot. */
  startMs: number;
  durationMs: number;
  status: ShowStatus;
  /** When the show actually went live; absent for shows that never did. */
  wentLiveAtMs?: number;
  /** When the show ended or was cancelled: orders the archive. */
  finishedAtMs?: number;
}

/** Kept sorted by start time; functions return new arrays and never mutate their input. */
export type Schedule = readonly Show[];

export interface ScheduleLimits {
  minDurationMs: number;
  maxDurationMs: number;
  /** How far ahead a show may be booked. */
  maxAheadMs: number;
  /** A start this much in the past is still accepted (client clock skew, "start now" forms). */
  pastGraceMs: number;
  /** Upcoming shows per station: bounds workflow state and the timers it implies. */
  maxUpcoming: number;
}

export const SCHEDULE_LIMITS: ScheduleLimits = {
  minDurationMs: 60_000,
  maxDurationMs: 24 * 3_600_000,
  maxAheadMs: 365 * 86_400_000,
  pastGraceMs: 60_000,
  maxUpcoming: 200,
};

export type RejectionCode =
  | 'overlap'
  | 'duplicate_id'
  | 'already_live'
  | 'not_live'
  | 'not_scheduled'
  | 'not_found'
  | 'in_past'
  | 'duration_too_short'
  | 'duration_too_long'
  | 'too_far_ahead'
  | 'invalid_time'
  | 'incomplete'
  | 'schedule_full';

export type ScheduleRejection =
  | { ok: false; code: 'overlap'; message: string; conflict: Show }
  | { ok: false; code: Exclude<RejectionCode, 'overlap'>; message: string };

export type ShowCheck = { ok: true } | ScheduleRejection;

const CONFLICT_CODES: ReadonlySet<RejectionCode> = new Set([
  'overlap',
  'duplicate_id',
  'already_live',
  'not_live',
  'not_scheduled',
]);

/** HTTP status for a rejection: conflicts with the current schedule 409, unknown show 404, bad input 422. */
export function rejectionStatus(code: RejectionCode): 404 | 409 | 422 {
  if (code === 'not_found') return 404;
  return CONFLICT_CODES.has(code) ? 409 : 422;
}

export function reject(code: Exclude<RejectionCode, 'overlap'>, message: string): ScheduleRejection {
  return { ok: false, code, message };
}

export const showEndMs = (show: Show): number => show.startMs + show.durationMs;

/** Shows that hold their slot: ended and cancelled ones free it. */
export const isOccupying = (show: Show): boolean => show.status === 'scheduled' || show.status === 'live';

const iso = (ms: number): string => new Date(ms).toISOString();
const minutes = (ms: number): string => `${Math.round(ms / 60_000)} min`;

export function describeSlot(show: Show): string {
  return `"${show.title}" (${iso(show.startMs)} – ${iso(showEndMs(show))})`;
}

/** Half-open intervals, so a show may start exactly when the previous one ends. */
export function findOverlap(
  schedule: Schedule,
  startMs: number,
  endMs: number,
  ignoreShowId?: string,
): Show | undefined {
  return schedule.find(
    (s) => s.showId !== ignoreShowId && isOccupying(s) && s.startMs < endMs && startMs < showEndMs(s),
  );
}

export interface CheckOptions {
  /** The show being moved or started, which must not conflict with itself. */
  ignoreShowId?: string;
  /** Going live now: the start is by definition not in the past. */
  startsNow?: boolean;
  limits?: ScheduleLimits;
}

export function validateNewShow(
  schedule: Schedule,
  candidate: { startMs: number; durationMs: number },
  nowMs: number,
  options: CheckOptions = {},
): ShowCheck {
  const limits = options.limits ?? SCHEDULE_LIMITS;
  const { startMs, durationMs } = candidate;
  if (!Number.isSafeInteger(startMs) || !Number.isSafeInteger(durationMs)) {
    return reject('invalid_time', 'Start and duration must be whole milliseconds.');
  }
  if (durationMs < limits.minDurationMs) {
    return reject('duration_too_short', `A show lasts at least ${minutes(limits.minDurationMs)}.`);
  }
  if (durationMs > limits.maxDurationMs) {
    return reject('duration_too_long', `A show lasts at most ${minutes(limits.maxDurationMs)}.`);
  }
  if (!options.startsNow && startMs < nowMs - limits.pastGraceMs) {
    return reject('in_past', `The start ${iso(startMs)} is in the past (now ${iso(nowMs)}).`);
  }
  if (startMs > nowMs + limits.maxAheadMs) {
    return reject(
      'too_far_ahead',
      `Shows can be booked at most ${Math.round(limits.maxAheadMs / 86_400_000)} days ahead.`,
    );
  }
  const conflict = findOverlap(schedule, startMs, startMs + durationMs, options.ignoreShowId);
  if (conflict) {
    return { ok: false, code: 'overlap', message: `Overlaps ${describeSlot(conflict)}.`, conflict };
  }
  const upcoming = schedule.filter((s) => s.status === 'scheduled' && s.showId !== options.ignoreShowId).length;
  if (upcoming >= limits.maxUpcoming) {
    return reject('schedule_full', `A station can have at most ${limits.maxUpcoming} upcoming shows.`);
  }
  return { ok: true };
}
