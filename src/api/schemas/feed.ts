import Type, { type Static } from 'typebox';
import { Cursor, Id, PageQuery } from './common.js';

export const FeedQuery = Type.Object(PageQuery.properties, { additionalProperties: false });

export const FeedItem = Type.Object({ contentId: Id, creatorId: Id, score: Type.Number() });

export const FeedPage = Type.Object({
  items: Type.Array(FeedItem),
  nextCursor: Type.Union([Cursor, Type.Null()]),
  ranker: Type.Union([Type.Literal('onnx'), Type.Literal('fallback')], {
    description: 'Which ranker ordered this feed: the model, or the rule-based fallback when the model is unavailable',
  }),
  source: Type.Union([Type.Literal('precomputed'), Type.Literal('online')], {
    description: 'precomputed: read from the stored feed; online: ranked for this request',
  }),
  modelVersion: Type.String(),
});
export type FeedPage = Static<typeof FeedPage>;
