import Type, { type Static } from 'typebox';
import { ENGAGEMENT_TYPES } from '../../domain/engagement.js';
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

/** Items are `unknown` here on purpose: per-item validation happens in the route so good items survive bad ones. */
export const EventBatch = Type.Object({
  events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_EVENTS_PER_BATCH }),
});

export const EventBatchResult = Type.Object({
  batchId: Type.String(),
  accepted: Type.Array(Type.Object({ index: Type.Integer(), eventId: Type.String(), duplicate: Type.Boolean() })),
  rejected: Type.Array(
    Type.Object({ index: Type.Integer(), eventId: Type.Optional(Type.String()), errors: Type.Array(FieldError) }),
  ),
});
export type EventBatchResult = Static<typeof EventBatchResult>;
