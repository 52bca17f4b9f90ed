import Type, { type Static } from 'typebox';
import { Cursor, Id, ListOf, PageQuery } from './common.js';

export const FeedQuery = Type.Object(PageQuery.properties, { additionalProperties: false });

export const FeedItemSummary = Type.Object(
  {
    title: Type.String({ description: "The item's title" }),
    type: Type.String({ description: 'Content type (video, short, live, …)' }),
    topics: Type.Array(Type.String(), { description: 'Topics extracted from the item and its tags' }),
    createdAt: Type.String({ format: 'date-time', description: 'When the item was published' }),
    creatorHandle: Type.Union([Type.String(), Type.Null()], {
      description:
        "The creator's current handle (null when the creator has no identity); may trail a rename by minutes",
    }),
  },
  { description: 'What an app shows of the item, so a page needs no request per item' },
);

export const FeedItem = Type.Object({
  contentId: Id,
  creatorId: Id,
  score: Type.Number(),
  item: Type.Optional(FeedItemSummary),
});

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
  arm: Type.Union([Type.Literal('current'), Type.Literal('candidate')], {
    description: "The user's side of the model traffic split (stable per user; MODEL_CANDIDATE_SHARE)",
  }),
});
export type FeedPage = Static<typeof FeedPage>;

export const ScoringRun = Type.Object({
  runId: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('completed')]),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  users: Type.Integer({ minimum: 0 }),
  itemsScored: Type.Integer({ minimum: 0 }),
  failures: Type.Integer({ minimum: 0 }),
  fallbackUsers: Type.Integer({ minimum: 0 }),
  durationMs: Type.Union([Type.Number(), Type.Null()]),
  modelVersion: Type.Union([Type.String(), Type.Null()]),
});

export const ScoringRunList = ListOf(ScoringRun);
export const ScoringRunsQuery = Type.Object(PageQuery.properties, { additionalProperties: false });
export const StartedRun = Type.Object({ workflowId: Type.String() });
export const ScheduleState = Type.Object({
  paused: Type.Boolean(),
  note: Type.Optional(Type.String({ maxLength: 200 })),
});
