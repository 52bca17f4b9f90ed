import type { FastifyInstance } from 'fastify';
import type { UpdateDefinition } from '@temporalio/common';
import { rejectionStatus, type Show as DomainShow } from '../../../domain/schedule.js';
import { findStation, type StationDoc } from '../../../store/stations.js';
import type { ViewerCounts } from '../../../store/viewers.js';
import { StationRejection, updateStation } from '../../../workflow-clients/station-updates.js';
import { assertCanActFor } from '../../ownership.js';
import type { Principal } from '../../principal.js';
import { notFound, ProblemError } from '../../problems.js';
import type { Show, Station } from '../../schemas/stations.js';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

export function showView(show: DomainShow): Show {
  return {
    showId: show.showId,
    title: show.title,
    status: show.status,
    startAt: new Date(show.startMs).toISOString(),
    endAt: new Date(show.startMs + show.durationMs).toISOString(),
    wentLiveAt: iso(show.wentLiveAtMs),
    finishedAt: iso(show.finishedAtMs),
  };
}

export function stationView(doc: StationDoc, viewers: ViewerCounts | null): Station {
  const live = doc.liveShow;
  return {
    id: doc._id,
    ownerId: doc.ownerId,
    name: doc.name,
    description: doc.description,
    status: doc.status,
    liveShow: live ? { ...live, startedAt: live.startedAt.toISOString(), endsAt: live.endsAt.toISOString() } : null,
    nextShowAt: doc.nextShowAt?.toISOString() ?? null,
    // Counts belong to the live show only: a leftover from an ended one is not shown.
    viewers: viewers && live && viewers.showId === live.showId ? viewers : null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

export async function existingStation(fastify: FastifyInstance, stationId: string): Promise<StationDoc> {
  const { db } = await fastify.mongo.get();
  const station = await findStation(db, stationId);
  if (!station) throw notFound(`No station ${stationId}`);
  return station;
}

/** The station, if the caller may change it (its owner, an operator or a service): 404, then 403. */
export async function ownedStation(
  fastify: FastifyInstance,
  principal: Principal | undefined,
  stationId: string,
): Promise<StationDoc> {
  const station = await existingStation(fastify, stationId);
  assertCanActFor(principal, station.ownerId);
  return station;
}

/** Runs a schedule change on the station's workflow; its refusal becomes a 404/409/422 problem saying why. */
export async function changeSchedule<Arg>(
  fastify: FastifyInstance,
  station: StationDoc,
  update: UpdateDefinition<DomainShow, [Arg]>,
  arg: Arg,
): Promise<Show> {
  const { client } = await fastify.temporal.get();
  try {
    const show = await updateStation(
      client,
      fastify.config,
      { stationId: station._id, ownerId: station.ownerId },
      update,
      arg,
    );
    return showView(show);
  } catch (error) {
    if (!(error instanceof StationRejection)) throw error;
    const status = rejectionStatus(error.code);
    const title = status === 404 ? 'Not Found' : status === 409 ? 'Conflict' : 'Unprocessable Content';
    throw new ProblemError(status, `schedule-${error.code.replace(/_/g, '-')}`, title, error.message, {
      extensions: { code: error.code },
    });
  }
}
