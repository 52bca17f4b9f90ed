import { ApplicationFailure, upsertSearchAttributes } from '@temporalio/workflow';
import {
  advanceSchedule,
  liveShow,
  nextShowToStart,
  nextTransition,
  pruneFinished,
  stationStatus,
  type ScheduleChange,
  type Show,
} from '../../src/domain/schedule.js';
import { NextShowAt, StationStatus } from '../search-attributes.js';
import { EffectQueue, effectsOf } from './effects.js';
import type { LiveState, ScheduleView } from './messages.js';

/**
 * One station's schedule and the rules that move it, with the side effects each change causes queued on `effects`.
 * The workflow owns the timer, the handlers and the ends of a run.
 */
export class StationState {
  readonly effects = new EffectQueue();
  schedule: Show[];
  /** Accepted changes so far: the loop wakes when this moves. */
  changes = 0;
  /** The idle period counts from the last change, or the last show's start or end. */
  private lastChangeAt = Date.now();
  private attributes = '';

  constructor(carried: Show[] | undefined) {
    this.schedule = carried ?? [];
  }

  /** A validator runs the rule without applying it: a rejection leaves no trace in history. */
  check(change: ScheduleChange): void {
    accepted(change);
  }

  /** Applies an accepted change and resolves once its effects ran, so an update's reply means the change is visible. */
  async apply(change: ScheduleChange): Promise<Show> {
    const { schedule: next, show } = accepted(change);
    this.effects.push(...effectsOf(this.schedule, next, Date.now()));
    this.schedule = next;
    this.lastChangeAt = Date.now();
    this.changes += 1;
    await this.effects.settled();
    return show;
  }

  /** The timer side: whatever became due while waiting (or while no worker ran) happens now. */
  advance(): void {
    const advanced = advanceSchedule(this.schedule, Date.now());
    const transitions = effectsOf(this.schedule, advanced.schedule, Date.now());
    if (transitions.length > 0) this.lastChangeAt = Date.now();
    this.effects.push(...transitions);
    this.schedule = advanced.schedule;
  }

  /** Finished shows are in Mongo once their effects ran; only the latest few stay in state. */
  pruneFinished(keep: number): void {
    if (this.effects.pending === 0) this.schedule = pruneFinished(this.schedule, keep).schedule;
  }

  /** When the loop must wake next: the next show transition, or the end of the idle period (then `idle`). */
  nextWake(idleMs: number): { atMs: number; idle: boolean } {
    const next = nextTransition(this.schedule, Date.now());
    if (next) return { atMs: next.atMs, idle: false };
    const atMs = this.lastChangeAt + idleMs;
    return { atMs, idle: Date.now() >= atMs };
  }

  isOffline(): boolean {
    return stationStatus(this.schedule) === 'offline' && this.effects.pending === 0;
  }

  view(stationId: string): ScheduleView {
    return { stationId, status: stationStatus(this.schedule), shows: this.schedule };
  }

  liveState(): LiveState {
    return {
      status: stationStatus(this.schedule),
      live: liveShow(this.schedule) ?? null,
      next: nextShowToStart(this.schedule, Date.now()) ?? null,
    };
  }

  /** Upserts StationStatus and NextShowAt when they changed (each upsert is a history event). */
  publishSearchAttributes(): void {
    const status = stationStatus(this.schedule);
    const nextAt = nextShowToStart(this.schedule, Date.now())?.startMs ?? null;
    const key = `${status}|${nextAt}`;
    if (key === this.attributes) return;
    upsertSearchAttributes([
      { key: StationStatus, value: status },
      { key: NextShowAt, value: nextAt === null ? null : new Date(nextAt) },
    ]);
    this.attributes = key;
  }
}

/** A rejected change becomes a typed, non-retryable failure: the API maps its type to 404/409/422. */
function accepted(change: ScheduleChange): Extract<ScheduleChange, { ok: true }> {
  if (!change.ok) throw ApplicationFailure.create({ type: change.code, message: change.message, nonRetryable: true });
  return change;
}
