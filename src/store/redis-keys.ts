/** Every Redis key the platform uses, in one place (the client adds REDIS_KEY_PREFIX). */
export const redisKeys = {
  interestProfile: (userId: string) => `profile:${userId}`,
  feed: (userId: string) => `feed:${userId}`,
  rateLimitNamespace: 'rl:',
} as const;

/** How long derived data lives in Redis; everything here can be rebuilt from Mongo. */
export const redisTtlSeconds = {
  interestProfile: 6 * 3600,
} as const;
