import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  advanceSchedule,
  cancel,
  endLive,
  goLiveNow,
  liveShow,
  nextShowToStart,
  nextTransition,
  pruneFinished,
  reschedule,
  scheduleShow,
  stationStatus,
  type ScheduleChange,
  type Show,
} from '../../src/domain/schedule.js';
import { NextShowAt, StationStatus } from '../search-attributes.js';
import { runIsFull } from '../entity/run-end.js';
import { EffectQueue, effectsOf } from './effects.js';
import {
  cancelShowUpdate,
  endLiveUpdate,
  getLiveStateQuery,
  getScheduleQuery,
  goLiveUpdate,
  rescheduleUpdate,
  scheduleShowUpdate,
  type TvStationInput,
} from './messages.js';

/** One TV station: its schedule, the durable timer that takes shows live and ends them, and their side effects. */
export async function tvStationWorkflow(input: TvStationInput): Promise<void> {
  const { stationId, settings } = input;
  let schedule: Show[] = input.carried?.schedule ?? [];
  let lastChangeAt = Date.now();
  const effects = new EffectQueue();

  let changes = 0;
  const apply = async (change: ScheduleChange): Promise<Show> => {
    const { schedule: next, show } = accepted(change);
    effects.push(...effectsOf(schedule, next, Date.now()));
    schedule = next;
    lastChangeAt = Date.now();
    changes += 1;
    await effects.settled();
    return show;
  };
  // Validators run the same rule without applying it: a rejection leaves no trace in history.
  const check = (change: ScheduleChange): void => void accepted(change);

  setHandler(scheduleShowUpdate, (r) => apply(scheduleShow(schedule, r, Date.now())), {
    validator: (r) => check(scheduleShow(schedule, r, Date.now())),
  });
  setHandler(rescheduleUpdate, (r) => apply(reschedule(schedule, r.showId, r, Date.now())), {
    validator: (r) => check(reschedule(schedule, r.showId, r, Date.now())),
  });
  setHandler(cancelShowUpdate, (r) => apply(cancel(schedule, r.showId, Date.now())), {
    validator: (r) => check(cancel(schedule, r.showId, Date.now())),
  });
  setHandler(goLiveUpdate, (r) => apply(goLiveNow(schedule, r, Date.now())), {
    validator: (r) => check(goLiveNow(schedule, r, Date.now())),
  });
  setHandler(endLiveUpdate, (r) => apply(endLive(schedule, r.showId, Date.now())), {
    validator: (r) => check(endLive(schedule, r.showId, Date.now())),
  });
  setHandler(getScheduleQuery, () => ({ stationId, status: stationStatus(schedule), shows: schedule }));
  setHandler(getLiveStateQuery, () => ({
    status: stationStatus(schedule),
    live: liveShow(schedule) ?? null,
    next: nextShowToStart(schedule, Date.now()) ?? null,
  }));

  const station = { stationId, ownerId: input.ownerId, settings };
  /** Runs effects until no handler is left waiting: the state is then safe to carry over or drop. */
  const settle = async (): Promise<void> => {
    for (;;) {
      await effects.drain(station);
      await effects.fanOutsDone();
      if (allHandlersFinished() && effects.pending === 0) return;
      await condition(() => effects.pending > 0 || allHandlersFinished());
    }
  };

  let attributes = '';
  for (;;) {
    // The timer side: whatever became due while waiting (or while no worker ran) happens now.
    const advanced = advanceSchedule(schedule, Date.now());
    const transitions = effectsOf(schedule, advanced.schedule, Date.now());
    // A show starting or ending is activity too: the idle period counts from the last show's end.
    if (transitions.length > 0) lastChangeAt = Date.now();
    effects.push(...transitions);
    schedule = advanced.schedule;
    await effects.drain(station);
    // Finished shows are in Mongo once their effects ran; keep only the latest few in state.
    if (effects.pending === 0) schedule = pruneFinished(schedule, settings.keepFinished).schedule;
    attributes = publishSearchAttributes(schedule, attributes);

    const next = nextTransition(schedule, Date.now());
    if (!next && Date.now() >= lastChangeAt + settings.idleMs) {
      await settle();
      if (stationStatus(schedule) === 'offline' && effects.pending === 0) break;
      continue;
    }
    if (runIsFull({ maxHistoryEvents: settings.maxHistoryEvents })) {
      await settle();
      await continueAsNew<typeof tvStationWorkflow>({ ...input, carried: { schedule } });
    }
    const wakeAt = next ? next.atMs : lastChangeAt + settings.idleMs;
    const seen = changes;
    await condition(() => effects.pending > 0 || changes !== seen, Math.max(1, wakeAt - Date.now()));
  }
  log.info('tv station idle, completing', { stationId });
}

/** A rejected change becomes a typed, non-retryable failure: the API maps its type to 404/409/422. */
function accepted(change: ScheduleChange): Extract<ScheduleChange, { ok: true }> {
  if (!change.ok) throw ApplicationFailure.create({ type: change.code, message: change.message, nonRetryable: true });
  return change;
}

/** Upserts StationStatus and NextShowAt when they changed (each upsert is a history event); returns what is set. */
function publishSearchAttributes(schedule: readonly Show[], current: string): string {
  const status = stationStatus(schedule);
  const nextAt = nextShowToStart(schedule, Date.now())?.startMs ?? null;
  const key = `${status}|${nextAt}`;
  if (key === current) return current;
  upsertSearchAttributes([
    { key: StationStatus, value: status },
    { key: NextShowAt, value: nextAt === null ? null : new Date(nextAt) },
  ]);
  return key;
}
