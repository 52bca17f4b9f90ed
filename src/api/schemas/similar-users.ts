import Type from 'typebox';
import { Limit, ListOf } from './common.js';

export const SimilarUsersQuery = Type.Object({ limit: Limit });

export const SimilarUser = Type.Object({
  userId: Type.String(),
  similarity: Type.Number({ minimum: -1, maximum: 1, description: 'Cosine similarity of the topic vectors' }),
  sharedTopics: Type.Array(Type.String(), { description: 'Interests both users share, strongest first' }),
});

/** Ranked, not paged: nextCursor is always null (the list is the best `limit` matches). */
export const SimilarUserList = ListOf(SimilarUser);
