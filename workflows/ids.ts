/**
 * Workflow ids: one long-lived workflow per user, creator, station and command, so the id alone finds it. Here,
 * beside the workflows, because workflow code uses them too (the sandbox may import nothing with I/O).
 */
export const workflowIds = {
  userInterest: (userId: string) => `user-interest:${userId}`,
  creatorStats: (creatorId: string) => `creator-stats:${creatorId}`,
  tvStation: (stationId: string) => `tv-station:${stationId}`,
  brainCommand: (commandId: string) => `brain-command:${commandId}`,
  onboarding: (userId: string) => `onboarding:${userId}`,
  verification: (userId: string) => `verification:${userId}`,
} as const;
