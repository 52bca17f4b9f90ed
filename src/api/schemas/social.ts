import Type from 'typebox';
import { Id, IsoDateTime, ListOf, PageQuery } from './common.js';

/** `:id` is the user being followed, blocked or listed. */
export const UserParams = Type.Object({ id: Id });

export const ActorQuery = Type.Object(
  {
    actorId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[A-Za-z0-9_.:-]+$',
        description:
          'Who follows or blocks; defaults to the caller. Only operators and services may name someone else.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const Follow = Type.Object({ followerId: Id, followeeId: Id, since: IsoDateTime });
export const Block = Type.Object({ blockerId: Id, blockedId: Id, since: IsoDateTime });

export const RelatedUser = Type.Object({ userId: Id, since: IsoDateTime });
export const RelatedUserList = ListOf(RelatedUser);
export const RelatedUserQuery = PageQuery;
