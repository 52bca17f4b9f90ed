import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  setHandler,
  type defineUpdate,
} from '@temporalio/workflow';
import {
  cancel,
  endLive,
  goLiveNow,
  reschedule,
  scheduleShow,
  type ScheduleChange,
  type Show,
} from '../../src/domain/schedule.js';
import { runIsFull } from '../entity/run-end.js';
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
import { StationState } from './station-state.js';

/** One TV station: its schedule, the durable timer that takes shows live and ends them, and their side effects. */
export async function tvStationWorkflow(input: TvStationInput): Promise<void> {
  const { stationId, settings } = input;
  const state = new StationState(input.carried?.schedule);
  const { effects } = state;
  const onUpdate = <R>(
    update: ReturnType<typeof defineUpdate<Show, [R]>>,
    rule: (s: Show[], r: R, nowMs: number) => ScheduleChange,
  ) =>
    setHandler(update, (r) => state.apply(rule(state.schedule, r, Date.now())), {
      validator: (r) => state.check(rule(state.schedule, r, Date.now())),
    });
  onUpdate(scheduleShowUpdate, (s, r, nowMs) => scheduleShow(s, r, nowMs));
  onUpdate(rescheduleUpdate, (s, r, nowMs) => reschedule(s, r.showId, r, nowMs));
  onUpdate(cancelShowUpdate, (s, r, nowMs) => cancel(s, r.showId, nowMs));
  onUpdate(goLiveUpdate, (s, r, nowMs) => goLiveNow(s, r, nowMs));
  onUpdate(endLiveUpdate, (s, r, nowMs) => endLive(s, r.showId, nowMs));
  setHandler(getScheduleQuery, () => state.view(stationId));
  setHandler(getLiveStateQuery, () => state.liveState());

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

  for (;;) {
    state.advance();
    await effects.drain(station);
    state.pruneFinished(settings.keepFinished);
    state.publishSearchAttributes();

    const wake = state.nextWake(settings.idleMs);
    if (wake.idle) {
      await settle();
      if (state.isOffline()) break;
      continue;
    }
    if (runIsFull({ maxHistoryEvents: settings.maxHistoryEvents })) {
      await settle();
      await continueAsNew<typeof tvStationWorkflow>({ ...input, carried: { schedule: state.schedule } });
    }
    const seen = state.changes;
    await condition(() => effects.pending > 0 || state.changes !== seen, Math.max(1, wake.atMs - Date.now()));
  }
  log.info('tv station idle, completing', { stationId });
}
