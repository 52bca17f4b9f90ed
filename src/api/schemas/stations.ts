import Type, { type Static } from 'typebox';
import { MultiLine, SingleLine } from './text.js';
import { Id, IsoDateTime, PageQuery } from './common.js';

const Name = SingleLine({ minLength: 1, maxLength: 100 });
const Description = MultiLine({ maxLength: 2_000 });
const Title = SingleLine({ minLength: 1, maxLength: 200 });
// The schema only bounds the number; the station's rules say what a show may last (and answer why not, 422).
const DurationMinutes = Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Length of the show in minutes' });

export const StationParams = Type.Object({ stationId: Id });
export const ShowParams = Type.Object({ stationId: Id, showId: Id });

export const StationCreate = Type.Object(
  {
    name: Name,
    description: Type.Optional(Description),
    ownerId: Type.Optional({ ...Id, description: 'The creator who owns the station; defaults to the caller' }),
  },
  { additionalProperties: false },
);
export type StationCreate = Static<typeof StationCreate>;

export const StationPatch = Type.Object(
  { name: Type.Optional(Name), description: Type.Optional(Description) },
  { additionalProperties: false, minProperties: 1 },
);

export const StationListQuery = Type.Object({
  ...PageQuery.properties,
  live: Type.Optional(Type.Boolean({ description: 'true: only stations on air now, with their viewers' })),
  ownerId: Type.Optional(Id),
});

export const ViewerCounts = Type.Object({
  showId: Id,
  current: Type.Integer({ minimum: 0 }),
  peak: Type.Integer({ minimum: 0 }),
  unique: Type.Integer({ minimum: 0 }),
});

export const Station = Type.Object({
  id: Id,
  ownerId: Id,
  name: Name,
  description: Description,
  status: Type.Union([Type.Literal('offline'), Type.Literal('scheduled'), Type.Literal('live')]),
  liveShow: Type.Union([
    Type.Object({ showId: Id, title: Title, startedAt: IsoDateTime, endsAt: IsoDateTime }),
    Type.Null(),
  ]),
  nextShowAt: Type.Union([IsoDateTime, Type.Null()]),
  viewers: Type.Union([ViewerCounts, Type.Null()]),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Station = Static<typeof Station>;

export const Show = Type.Object({
  showId: Id,
  title: Title,
  status: Type.Union([
    Type.Literal('scheduled'),
    Type.Literal('live'),
    Type.Literal('ended'),
    Type.Literal('cancelled'),
  ]),
  startAt: IsoDateTime,
  endAt: IsoDateTime,
  wentLiveAt: Type.Union([IsoDateTime, Type.Null()]),
  finishedAt: Type.Union([IsoDateTime, Type.Null()]),
});
export type Show = Static<typeof Show>;

export const ShowStats = Type.Object({
  peakViewers: Type.Integer({ minimum: 0 }),
  uniqueViewers: Type.Integer({ minimum: 0 }),
  viewersAtEnd: Type.Integer({ minimum: 0 }),
});

/** A finished show from the archive; `stats` only for shows that went live (and whose counts survived). */
export const ArchivedShow = Type.Object({ ...Show.properties, stats: Type.Union([ShowStats, Type.Null()]) });

export const Schedule = Type.Object({
  stationId: Id,
  status: Station.properties.status,
  shows: Type.Array(Show),
});

export const ShowCreate = Type.Object(
  { title: Title, startAt: IsoDateTime, durationMinutes: DurationMinutes },
  { additionalProperties: false },
);
export const ShowReschedule = Type.Object(
  { startAt: IsoDateTime, durationMinutes: Type.Optional(DurationMinutes) },
  { additionalProperties: false },
);
export const GoLive = Type.Object(
  {
    title: Type.Optional({
      ...Title,
      description: 'Required without showId; with it, replaces the booked title (omit to keep it)',
    }),
    durationMinutes: Type.Optional({
      ...DurationMinutes,
      description: 'Required without showId; with it, the show ends this long from now (omit: its planned end)',
    }),
    showId: Type.Optional({ ...Id, description: 'A scheduled show to start early; omit for an unscheduled show' }),
  },
  { additionalProperties: false },
);
export const EndLive = Type.Object(
  { showId: Type.Optional({ ...Id, description: 'Ends only this show; omit to end whatever is live' }) },
  { additionalProperties: false },
);

export const ViewerRequest = Type.Object(
  { clientId: { ...Id, description: 'One id per app instance, so a user watching on two devices counts twice' } },
  { additionalProperties: false },
);
