import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { GoLive, Show, StationStatus } from '../../src/domain/schedule.js';

/** Update and query objects shared by the workflow, the API and the tests (no workflow logic here). */
export interface TvStationSettings {
  /** Finished shows kept in state for getSchedule; older ones live only in Mongo `shows`. */
  keepFinished: number;
  /** With nothing scheduled or live for this long the workflow completes; the next update recreates it. */
  idleMs: number;
  /** Continue-as-new after this many history events, far below Temporal's 10k-event warning. */
  maxHistoryEvents: number;
  /** Followers notified per batch (one insertMany each). */
  notifyBatchSize: number;
  /** A viewer not heard from for this long no longer counts (used when folding counts into the show record). */
  viewerTimeoutMs: number;
}

export interface TvStationInput {
  stationId: string;
  /** The creator whose followers hear about shows going live. */
  ownerId: string;
  settings: TvStationSettings;
  /** Carried across continue-as-new. */
  carried?: { schedule: Show[] };
}

export interface ScheduleShowRequest {
  /** Chosen by the caller, so a retried request finds its own show instead of booking a second one. */
  showId: string;
  title: string;
  startMs: number;
  durationMs: number;
}

export interface RescheduleRequest {
  showId: string;
  startMs: number;
  durationMs?: number;
}

/** A scheduled show's id starts that show early; a new id starts an unscheduled show (see goLiveNow). */
export type GoLiveRequest = GoLive;

export interface ScheduleView {
  stationId: string;
  status: StationStatus;
  /** Upcoming, live and the most recently finished shows, by start time. */
  shows: Show[];
}

export interface LiveState {
  status: StationStatus;
  live: Show | null;
  next: Show | null;
}

export const scheduleShowUpdate = defineUpdate<Show, [ScheduleShowRequest]>('scheduleShow');
export const cancelShowUpdate = defineUpdate<Show, [{ showId: string }]>('cancelShow');
export const rescheduleUpdate = defineUpdate<Show, [RescheduleRequest]>('reschedule');
export const goLiveUpdate = defineUpdate<Show, [GoLiveRequest]>('goLive');
/** `showId` null ends whichever show is live. */
export const endLiveUpdate = defineUpdate<Show, [{ showId: string | null }]>('endLive');

export const getScheduleQuery = defineQuery<ScheduleView>('getSchedule');
export const getLiveStateQuery = defineQuery<LiveState>('getLiveState');
