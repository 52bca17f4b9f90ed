import Type from 'typebox';

export const HotCacheStatus = Type.Object({
  ready: Type.Boolean({ description: 'Whether the hot read structures are complete (false: requests read MongoDB)' }),
  builtAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the last completed rebuild started; null while none has completed since Redis lost its data',
  }),
});

export const HotCacheRebuild = Type.Object({
  items: Type.Integer({ minimum: 0, description: 'Catalog items put into the item cache and its pools' }),
  edges: Type.Integer({ minimum: 0, description: 'Follow and block edges' }),
  events: Type.Integer({ minimum: 0, description: 'Engagements with items read for the seen sets' }),
  profiles: Type.Integer({ minimum: 0, description: 'Interest profiles indexed for similar users' }),
  optOuts: Type.Integer({ minimum: 0, description: 'Users with content-type opt-outs' }),
  creators: Type.Integer({ minimum: 0, description: 'Creators placed on the leaderboards' }),
  popularItems: Type.Integer({ minimum: 0, description: 'Items with recent engagement counts (trending)' }),
  ms: Type.Number({ description: 'How long the rebuild took' }),
});
