import Type from 'typebox';
import { MAX_TIP_MINOR } from '../../workflow-clients/tips.js';
import { Id, IsoDateTime } from './common.js';

export const TipInput = Type.Object(
  {
    /** The producer's id of the payment; a repeat records nothing new. */
    tipId: Id,
    fromUserId: Id,
    amountMinor: Type.Integer({
      minimum: 1,
      maximum: MAX_TIP_MINOR,
      description: 'Whole minor currency units (cents): 499 is 4.99',
    }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. USD' }),
  },
  { additionalProperties: false },
);

export const TipReply = Type.Object({
  tipId: Id,
  fromUserId: Id,
  toUserId: Id,
  amountMinor: Type.Integer(),
  currency: Type.String(),
  createdAt: IsoDateTime,
});
