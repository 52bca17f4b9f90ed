// The time-driven side of a station: what its one durable timer should wait for, and what has become due.
// The workflow loops: sleep until nextTransition(...).atMs (or an update arrives), then advanceSchedule.
import { showEndMs, type Schedule, type Show } from './schedule-rules.js';

export interface Transition {
  atMs: number;
  kind: 'start' | 'end';
  showId: string;
}

export interface Advance {
  schedule: Show[];
  /** Shows that went live now: notify followers for these. */
  started: Show[];
  /** Live shows that reached their end. */
  ended: Show[];
  /** Scheduled shows whose whole slot passed before they could start (e.g. the station was down). */
  missed: Show[];
}

export type StationStatus = 'offline' | 'scheduled' | 'live';

const byStart = (a: Show, b: Show): number => a.startMs - b.startMs || (a.showId < b.showId ? -1 : 1);

export const sortSchedule = (shows: readonly Show[]): Show[] => [...shows].sort(byStart);

export function liveShow(schedule: Schedule): Show | undefined {
  return schedule.find((s) => s.status === 'live');
}

export function stationStatus(schedule: Schedule): StationStatus {
  if (liveShow(schedule)) return 'live';
  return schedule.some((s) => s.status === 'scheduled') ? 'scheduled' : 'offline';
}

/** The earliest scheduled show that can still go live (its slot has not entirely passed). */
export function nextShowToStart(schedule: Schedule, nowMs: number): Show | undefined {
  return sortSchedule(schedule).find((s) => s.status === 'scheduled' && showEndMs(s) > nowMs);
}

/**
 * The next moment the station changes state. It may be ≤ nowMs when something is already due (a late timer
 * after a worker outage): the caller then sleeps 0 and advances. Ends sort before starts at the same instant
 * so back-to-back shows hand over cleanly.
 */
export function nextTransition(schedule: Schedule, nowMs: number): Transition | null {
  let next: Transition | null = null;
  for (const show of schedule) {
    let candidate: Transition | null = null;
    if (show.status === 'live') candidate = { atMs: showEndMs(show), kind: 'end', showId: show.showId };
    if (show.status === 'scheduled') {
      const missed = showEndMs(show) <= nowMs;
      candidate = missed
        ? { atMs: showEndMs(show), kind: 'end', showId: show.showId }
        : { atMs: show.startMs, kind: 'start', showId: show.showId };
    }
    if (!candidate) continue;
    const earlier =
      !next ||
      candidate.atMs < next.atMs ||
      (candidate.atMs === next.atMs && candidate.kind === 'end' && next.kind === 'start');
    if (earlier) next = candidate;
  }
  return next;
}

/**
 * Applies every transition due at nowMs. Afterwards every remaining transition lies strictly after nowMs, so a
 * timer loop cannot spin. Ends are applied before starts so a back-to-back successor finds the station free.
 */
export function advanceSchedule(schedule: Schedule, nowMs: number): Advance {
  const started: Show[] = [];
  const ended: Show[] = [];
  const missed: Show[] = [];
  let shows = sortSchedule(schedule).map((show): Show => {
    if (show.status === 'live' && showEndMs(show) <= nowMs) {
      const done: Show = { ...show, status: 'ended', finishedAtMs: showEndMs(show) };
      ended.push(done);
      return done;
    }
    if (show.status === 'scheduled' && showEndMs(show) <= nowMs) {
      const gone: Show = { ...show, status: 'ended', finishedAtMs: showEndMs(show) };
      missed.push(gone);
      return gone;
    }
    return show;
  });
  const due = shows.find((s) => s.status === 'scheduled' && s.startMs <= nowMs);
  if (due) {
    // Overlap rules make a second live show impossible; should one exist anyway, the schedule wins.
    shows = shows.map((s): Show => {
      if (s.showId === due.showId) {
        const live: Show = { ...s, status: 'live', wentLiveAtMs: nowMs };
        started.push(live);
        return live;
      }
      if (s.status !== 'live') return s;
      const cut: Show = { ...s, status: 'ended', finishedAtMs: nowMs };
      ended.push(cut);
      return cut;
    });
  }
  return { schedule: shows, started, ended, missed };
}

/**
 * Keeps the `keep` most recently finished (ended or cancelled) shows in state and returns the rest, oldest
 * first, for the workflow to archive in Mongo `shows` before dropping them: this bounds workflow state.
 */
export function pruneFinished(schedule: Schedule, keep: number): { schedule: Show[]; archived: Show[] } {
  const finishedAt = (s: Show): number => s.finishedAtMs ?? showEndMs(s);
  const finished = schedule
    .filter((s) => s.status === 'ended' || s.status === 'cancelled')
    .sort((a, b) => finishedAt(b) - finishedAt(a) || (a.showId < b.showId ? -1 : 1));
  const archived = finished.slice(Math.max(0, Math.floor(keep))).reverse();
  const drop = new Set(archived.map((s) => s.showId));
  return { schedule: sortSchedule(schedule.filter((s) => !drop.has(s.showId))), archived };
}
