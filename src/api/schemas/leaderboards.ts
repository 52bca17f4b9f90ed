import Type from 'typebox';
import { LEADERBOARDS } from '../../domain/leaderboards.js';
import { Cursor, Id, Limit, ListOf } from './common.js';
import { literals, UtcDay } from './creators.js';

export const BoardParams = Type.Object({
  // score (overall), score-<tier>, views-daily or views-weekly
  board: literals(LEADERBOARDS),
});

export const BoardQuery = Type.Object(
  {
    limit: Limit,
    cursor: Type.Optional(Cursor),
    // For the views boards: the day, or any day of the week; default today (UTC).
    day: Type.Optional(UtcDay),
  },
  { additionalProperties: false },
);

export const BoardEntry = Type.Object({ rank: Type.Integer({ minimum: 1 }), creatorId: Id, value: Type.Number() });
export const BoardPage = ListOf(BoardEntry);

export const RebuildReply = Type.Object({
  creators: Type.Integer({ minimum: 0 }),
  boards: Type.Integer({ minimum: 0 }),
});
