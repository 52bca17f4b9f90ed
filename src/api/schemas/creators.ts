import Type from 'typebox';
import { CREATOR_TIERS } from '../../domain/creator-tier.js';
import { Cursor, Id, IsoDateTime, Limit, ListOf } from './common.js';

/** A string enum typed as its literals (a Type.Union built by map() types as never). */
export const literals = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values] });
export const Tier = literals(CREATOR_TIERS);
const Count = Type.Number({ minimum: 0 });
export const UtcDay = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  format: 'date',
  description: 'UTC day, YYYY-MM-DD',
});

export const Counters = Type.Object({
  views: Count,
  likes: Count,
  shares: Count,
  comments: Count,
  tips: Count,
  tipAmount: Type.Number({ minimum: 0, description: 'Sum of tips in minor currency units (cents)' }),
  followersGained: Count,
  followersLost: Count,
  watchTimeSeconds: Count,
});

export const CreatorParams = Type.Object({ id: Id });

export const CreatorStatsReply = Type.Object({
  creatorId: Id,
  score: Type.Number({ minimum: 0, maximum: 100 }),
  tier: Tier,
  scoreBreakdown: Type.Object({
    engagement: Type.Number(),
    growth: Type.Number(),
    consistency: Type.Number(),
    tips: Type.Number(),
  }),
  followers: Count,
  totals: Counters,
  today: Type.Object({ day: UtcDay, counters: Counters }),
  lastEventAt: Type.Union([IsoDateTime, Type.Null()]),
  updatedAt: IsoDateTime,
});

export const SnapshotQuery = Type.Object(
  {
    from: Type.Optional(UtcDay),
    to: Type.Optional(UtcDay),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);

export const Snapshot = Type.Object({
  day: UtcDay,
  counters: Counters,
  totals: Counters,
  followers: Count,
  score: Type.Number(),
  tier: Tier,
});
export const SnapshotList = ListOf(Snapshot);
