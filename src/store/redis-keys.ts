/** Every Redis key the platform uses, in one place (the client adds REDIS_KEY_PREFIX). */
export const redisKeys = {
  feed: (userId: string) => `feed:${userId}`,
  rateLimitNamespace: 'rl:',
  // TV station live viewers; the {stationId} hash tag keeps a station's keys in one Redis Cluster slot for its Lua.
  stationLive: (stationId: string) => `tv:{${stationId}}:live`,
  stationViewers: (stationId: string) => `tv:{${stationId}}:viewers`,
  stationUniqueViewers: (stationId: string) => `tv:{${stationId}}:unique`,
  /** A creator leaderboard (sorted set); daily and weekly view boards carry their day or week's Monday. */
  leaderboard: (board: string, period?: string | null) => (period ? `lb:${board}:${period}` : `lb:${board}`),
  /** Where a rebuild writes before swapping boards in with RENAME, so readers never see a half-built board. */
  leaderboardRebuild: (key: string) => `lb-rebuild:${key}`,
  /** Hash contentId → recent engagement counts (JSON), and the trending sorted set built beside it. */
  contentPopularity: 'content-pop',
  /** Hash creatorId → views and skips over the creator's items in the same window (JSON), beside content-pop. */
  creatorExposure: 'creator-pop',
  trending: 'trending',
  /** Set while a user's feed was refreshed within FEED_REFRESH_MIN_INTERVAL_MS (the refresh debounce). */
  feedRefreshGuard: (userId: string) => `feed-refreshed:${userId}`,
  /** The hot read structures of src/cache (derived from Mongo, rebuilt by src/cache/rebuild.ts). */
  hot: {
    /** A user's interest profile (JSON), kept for every profile in the store, without expiry. */
    profile: (userId: string) => `hot:profile:${userId}`,
    /** Hash contentId → the item fields ranking and feed pages need (JSON). */
    items: 'hot:items',
    /** Sorted sets contentId → createdAt ms, newest POOL_SIZE kept: per topic, per creator, and the whole catalog. */
    topicPool: (topic: string) => `hot:pool:topic:${topic}`,
    creatorPool: (creatorId: string) => `hot:pool:creator:${creatorId}`,
    freshPool: 'hot:pool:fresh',
    /** Sorted set creatorId → items on the topic (the creators a topic's content comes from). */
    topicCreators: (topic: string) => `hot:topic-creators:${topic}`,
    /** Sets of user ids a user follows or blocks. */
    follows: (userId: string) => `hot:follows:${userId}`,
    blocks: (userId: string) => `hot:blocks:${userId}`,
    /** Sorted set contentId → last engagement ms, the user's newest SEEN_SIZE items. */
    seen: (userId: string) => `hot:seen:${userId}`,
    /** Set of content types the user opted out of. */
    optOuts: (userId: string) => `hot:optouts:${userId}`,
    /** Hash userId → the profile's topic vector (JSON), and per topic the users holding it among their top topics. */
    topicVectors: 'hot:topic-vectors',
    /** Hash userId → the same vector packed for scoring (src/cache/packed-vectors.ts). */
    packedVectors: 'hot:topic-vectors-packed',
    topicUsers: (topic: string) => `hot:topic-users:${topic}`,
    /** A creator's current handle for feed pages, cached on read for a few minutes ('' for none). */
    creatorHandle: (userId: string) => `hot:handle:${userId}`,
    /**
     * Present once a rebuild has completed since the last loss of Redis data; its value is the build time. Its
     * version names the layout of the structures: a release that changes what they hold bumps it, so after the
     * upgrade readers fall back to MongoDB and the first of them starts a rebuild (v2: packed topic vectors).
     */
    built: 'hot:built:v2',
    rebuildLock: 'hot:rebuilding',
  },
} as const;
