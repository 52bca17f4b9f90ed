/** Every Redis key the platform uses, in one place (the client adds REDIS_KEY_PREFIX). */
export const redisKeys = {
  interestProfile: (userId: string) => `profile:${userId}`,
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
  trending: 'trending',
  /** Set while a user's feed was refreshed within FEED_REFRESH_MIN_INTERVAL_MS (the refresh debounce). */
  feedRefreshGuard: (userId: string) => `feed-refreshed:${userId}`,
} as const;

/** How long derived data lives in Redis; everything here can be rebuilt from Mongo. */
export const redisTtlSeconds = {
  interestProfile: 6 * 3600,
} as const;
