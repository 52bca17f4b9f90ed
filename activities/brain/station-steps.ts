import type { PlannedStep, StepOutcome } from '../../src/domain/brain-command.js';
import { stepRecordId } from '../../src/domain/brain-command.js';
import { assertPrincipalCanActFor } from '../../src/domain/ownership.js';
import { showId } from '../../src/workflow-clients/show-ids.js';
import { findStation, listStations, stationsCollection, type StationDoc } from '../../src/store/stations.js';
import { firstAttemptValue } from '../../src/store/brain-step-memos.js';
import { StationRejection, stationSchedule, updateStation } from '../../src/workflow-clients/station-updates.js';
import {
  cancelShowUpdate,
  endLiveUpdate,
  goLiveUpdate,
  scheduleShowUpdate,
} from '../../workflows/tv-station/messages.js';
import { getClient } from '@temporalio/activity';
import { refusal, spendCallerBudget, type StepContext } from './context.js';

const MINUTE_MS = 60_000;
const DEFAULT_SHOW_MINUTES = 60;

/** Show ids from the command step: a retried step sends the same id, which the station workflow accepts once. */
const showIdOf = (ctx: StepContext, step: PlannedStep): string =>
  showId(`brain-step\n${stepRecordId(ctx.commandId, step.index)}`);

/**
 * The named station or the caller's own; then the same owner check as the station routes, so a command naming
 * someone else's station is refused with 403 like PATCH /stations/:id would be, and a caller out of REST budget
 * with 429.
 */
async function ownedStation(ctx: StepContext, step: PlannedStep): Promise<StationDoc> {
  const named = step.params.station;
  const station = named
    ? await namedStation(ctx, named)
    : ((await listStations(ctx.db, { ownerId: ctx.caller.userId }, null, 1))[0] ?? null);
  if (!station) throw refusal('not_found', 404, named ? `No station ${named}` : 'You have no station yet');
  assertPrincipalCanActFor(ctx.caller, station.ownerId);
  // One station change, one request of the caller's REST budget.
  await spendCallerBudget(ctx, 1);
  return station;
}

/**
 * By id, else by name as spoken (the recogniser lowercases it), preferring the caller's own station of that name;
 * a name shared by another user's station resolves to it, and the owner check then refuses.
 */
async function namedStation(ctx: StepContext, named: string): Promise<StationDoc | null> {
  const byId = await findStation(ctx.db, named);
  if (byId) return byId;
  const pattern = new RegExp(`^${named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');
  const matches = await stationsCollection(ctx.db).find({ name: pattern }).limit(10).toArray();
  return matches.find((s) => s.ownerId === ctx.caller.userId) ?? matches[0] ?? null;
}

const ref = (station: StationDoc) => ({ stationId: station._id, ownerId: station.ownerId });
const titleOf = (step: PlannedStep, fallback: string) => step.params.title ?? step.params.topic ?? fallback;

export async function scheduleShowStep(ctx: StepContext, step: PlannedStep): Promise<StepOutcome> {
  const station = await ownedStation(ctx, step);
  const when = step.params.when;
  if (!when) throw refusal('unprocessable', 422, 'When should the show start?');
  const show = await updateStation(getClient(), ctx.config, ref(station), scheduleShowUpdate, {
    showId: showIdOf(ctx, step),
    title: titleOf(step, 'New show'),
    startMs: Date.parse(when.iso),
    durationMs: (step.params.durationMinutes ?? DEFAULT_SHOW_MINUTES) * MINUTE_MS,
  });
  return {
    summary: `scheduled "${show.title}" on ${station.name} at ${new Date(show.startMs).toISOString()}`,
    targets: [],
    compensation: { kind: 'cancel_show', ...ref(station), showId: show.showId },
  };
}

export async function goLiveStep(ctx: StepContext, step: PlannedStep): Promise<StepOutcome> {
  const station = await ownedStation(ctx, step);
  const show = await updateStation(getClient(), ctx.config, ref(station), goLiveUpdate, {
    showId: showIdOf(ctx, step),
    title: titleOf(step, `${station.name} live`),
    durationMs: (step.params.durationMinutes ?? DEFAULT_SHOW_MINUTES) * MINUTE_MS,
  });
  return {
    summary: `${station.name} is live with "${show.title}"`,
    targets: [],
    compensation: { kind: 'end_live', ...ref(station), showId: show.showId },
  };
}

/** Ending a broadcast cannot be taken back, which is why end_live waits for the user's confirmation. */
export async function endLiveStep(ctx: StepContext, step: PlannedStep): Promise<StepOutcome> {
  const station = await ownedStation(ctx, step);
  // A retry ends the show its first attempt saw live, which that attempt may already have ended.
  const live = await firstAttemptValue(ctx.db, `${stepRecordId(ctx.commandId, step.index)}:show`, async () => {
    const show = (await stationSchedule(getClient(), station._id))?.shows.find((s) => s.status === 'live');
    return show ? { showId: show.showId, title: show.title } : null;
  });
  const update = updateStation(getClient(), ctx.config, ref(station), endLiveUpdate, { showId: live?.showId ?? null });
  // Nothing was live at the first attempt: the station's refusal (409 not_live) is the step's answer.
  const ended = live ? await unlessAlready('not_live', update) : await update;
  return { summary: `ended "${ended?.title ?? live?.title}" on ${station.name}`, targets: [], compensation: null };
}

/** The next scheduled show, or the one whose title mentions the spoken title or topic. */
export async function cancelShowStep(ctx: StepContext, step: PlannedStep): Promise<StepOutcome> {
  const station = await ownedStation(ctx, step);
  // A retry cancels the show its first attempt chose, which that attempt may already have cancelled.
  const show = await firstAttemptValue(ctx.db, `${stepRecordId(ctx.commandId, step.index)}:show`, async () => {
    const schedule = await stationSchedule(getClient(), station._id);
    const wanted = (step.params.title ?? step.params.topic)?.toLowerCase();
    const found = (schedule?.shows ?? []).find(
      (s) => s.status === 'scheduled' && (!wanted || s.title.toLowerCase().includes(wanted)),
    );
    return found ? { showId: found.showId, title: found.title } : null;
  });
  if (!show) throw refusal('not_found', 404, `No scheduled show to cancel on ${station.name}`);
  await unlessAlready(
    'not_scheduled',
    updateStation(getClient(), ctx.config, ref(station), cancelShowUpdate, { showId: show.showId }),
  );
  return { summary: `cancelled "${show.title}" on ${station.name}`, targets: [], compensation: null };
}

/** The update's result, or null when the station refuses it with `code` because an earlier attempt already did it. */
async function unlessAlready<T>(code: StationRejection['code'], update: Promise<T>): Promise<T | null> {
  try {
    return await update;
  } catch (error) {
    if (error instanceof StationRejection && error.code === code) return null;
    throw error;
  }
}
