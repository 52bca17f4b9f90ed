import Type, { type Static } from 'typebox';
import { CONTENT_TYPES } from '../../domain/engagement.js';
import { MAX_TAGS } from '../../nlp/topics.js';
import { MultiLine, SingleLine } from './text.js';
import { literals } from './creators.js';
import { Id, IsoDateTime, ListOf, PageQuery } from './common.js';

export const ContentTypeName = literals(CONTENT_TYPES);

export const ContentCreate = Type.Object(
  {
    title: SingleLine({ minLength: 1, maxLength: 200 }),
    description: MultiLine({ maxLength: 5_000, default: '' }),
    tags: Type.Array(SingleLine({ minLength: 1, maxLength: 64 }), { maxItems: MAX_TAGS, default: [] }),
    type: ContentTypeName,
  },
  { additionalProperties: false },
);
export type ContentCreate = Static<typeof ContentCreate>;

export const ContentItem = Type.Object({
  id: Type.String(),
  creatorId: Type.String(),
  title: Type.String(),
  description: Type.String(),
  tags: Type.Array(Type.String()),
  type: ContentTypeName,
  topics: Type.Array(Type.String(), {
    description: 'Extracted on write: the tags first, then TF-IDF terms of the text',
  }),
  createdAt: IsoDateTime,
});
export type ContentItem = Static<typeof ContentItem>;

export const ContentParams = Type.Object({ id: Id });
export const CreatorContentParams = Type.Object({ id: Id });
export const ContentPageQuery = PageQuery;
export const ContentList = ListOf(ContentItem);
