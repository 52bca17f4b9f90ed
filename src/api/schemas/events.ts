import Type, { type Static } from 'typebox';
import { ENGAGEMENT_TYPES, type EngagementType } from '../../domain/engagement.js';
import { FieldError, Id, IsoDateTime } from './common.js';

export const MAX_EVENTS_PER_BATCH = 1_000;

/** One engagement event. Each item of a batch is checked against this on its own (a bad item never sinks the rest). */
export const EngagementEventInput = Type.Object(
  {
    eventId: Id,
    userId: Id,
    type: Type.Enum(ENGAGEMENT_TYPES),
    contentId: Type.Optional(Id),
    creatorId: Type.Optional(Id),
    value: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1e9, description: 'seconds for watch_time, amount for tip' }),
    ),
    occurredAt: IsoDateTime,
  },
  { additionalProperties: false },
);
export type EngagementEventInput = Static<typeof EngagementEventInput>;

const TYPE_MEANINGS: Record<EngagementType, string> = {
  view: 'The user watched or opened contentId',
  like: 'The user liked contentId',
  share: 'The user shared contentId',
  comment: 'The user commented on contentId',
  tip: 'The user tipped creatorId (value: the amount in platform currency units)',
  follow: 'The user followed creatorId',
  skip: 'The user scrolled past contentId',
  hide: 'The user asked not to see contentId',
  report: 'The user reported contentId',
  watch_time: 'The user watched contentId for value seconds',
};

const variantName = (type: EngagementType) =>
  `${type.replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase())}Event`;

/**
 * The event item as clients see it in the OpenAPI document: one schema per type (`LikeEvent`, `WatchTimeEvent`,
 * ...), discriminated by `type`. Together they accept exactly what EngagementEventInput accepts.
 */
export const ENGAGEMENT_EVENT_VARIANTS = Object.fromEntries(
  ENGAGEMENT_TYPES.map((type) => [
    variantName(type),
    Type.Object(
      { ...EngagementEventInput.properties, type: Type.Literal(type, { description: TYPE_MEANINGS[type] }) },
      { additionalProperties: false, description: TYPE_MEANINGS[type] },
    ),
  ]),
);

/** Items are `unknown` here on purpose: per-item validation happens in the route so good items survive bad ones. */
export const EventBatch = Type.Object({
  events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_EVENTS_PER_BATCH }),
});

/** EventBatch as documented: the same bounds, with the typed item clients should send. */
export const documentedEventBatch = Type.Object({
  events: Type.Array(
    Type.Unsafe({
      oneOf: Object.values(ENGAGEMENT_EVENT_VARIANTS),
      discriminator: {
        propertyName: 'type',
        mapping: Object.fromEntries(
          ENGAGEMENT_TYPES.map((type) => [type, `#/components/schemas/${variantName(type)}`]),
        ),
      },
    }),
    {
      minItems: 1,
      maxItems: MAX_EVENTS_PER_BATCH,
      description: 'Each item is checked on its own: invalid items come back in rejected[], the rest are accepted',
    },
  ),
});

export const EventBatchResult = Type.Object({
  batchId: Type.String(),
  accepted: Type.Array(Type.Object({ index: Type.Integer(), eventId: Type.String(), duplicate: Type.Boolean() })),
  rejected: Type.Array(
    Type.Object({ index: Type.Integer(), eventId: Type.Optional(Type.String()), errors: Type.Array(FieldError) }),
  ),
});
export type EventBatchResult = Static<typeof EventBatchResult>;
