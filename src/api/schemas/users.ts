import Type, { type Static } from 'typebox';
import { CONTENT_TYPES } from '../../domain/engagement.js';
import { ENGAGEMENT_STYLES } from '../../domain/interest-profile.js';
import { Id, IsoDateTime } from './common.js';

export const UserParams = Type.Object({ id: Id });

export const InterestProfileView = Type.Object({
  userId: Type.String(),
  topics: Type.Array(Type.Object({ topic: Type.String(), score: Type.Number() })),
  contentTypes: Type.Object(Object.fromEntries(CONTENT_TYPES.map((t) => [t, Type.Number()]))),
  /** From the shared preferences: these types stay at 0 in `contentTypes` and are left out of the feed. */
  contentTypeOptOuts: Type.Array(Type.Enum(CONTENT_TYPES)),
  engagementStyle: Type.Enum(ENGAGEMENT_STYLES),
  peakHoursUtc: Type.Array(Type.Integer({ minimum: 0, maximum: 23 })),
  appliedEvents: Type.Integer(),
  lastEventAt: Type.Union([IsoDateTime, Type.Null()]),
  updatedAt: IsoDateTime,
});
export type InterestProfileView = Static<typeof InterestProfileView>;
