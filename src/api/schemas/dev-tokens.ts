import Type from 'typebox';
import { Id, IsoDateTime, RoleName } from './common.js';

export const DevTokenRequest = Type.Object(
  {
    userId: Id,
    roles: Type.Array(RoleName, { minItems: 1, maxItems: 4, uniqueItems: true, default: ['user'] }),
  },
  { additionalProperties: false },
);

export const DevToken = Type.Object({ token: Type.String(), expiresAt: IsoDateTime });
