/** Workflow ids: one durable entity per user, creator, station, command (DESIGN.md). */
export const workflowIds = {
  userInterest: (userId: string) => `user-interest:${userId}`,
  creatorStats: (creatorId: string) => `creator-stats:${creatorId}`,
  tvStation: (stationId: string) => `tv-station:${stationId}`,
  brainCommand: (commandId: string) => `brain-command:${commandId}`,
  onboarding: (userId: string) => `onboarding:${userId}`,
  verification: (userId: string) => `verification:${userId}`,
} as const;
