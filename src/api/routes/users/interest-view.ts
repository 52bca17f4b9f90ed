import { engagementStyle, peakHours, topTopics, type InterestProfile } from '../../../domain/interest-profile.js';
import type { InterestProfileView } from '../../schemas/users.js';

const TOPICS_SHOWN = 20;
const PEAK_HOURS_SHOWN = 3;

export function interestProfileView(profile: InterestProfile): InterestProfileView {
  return {
    userId: profile.userId,
    topics: topTopics(profile, TOPICS_SHOWN),
    contentTypes: profile.contentTypes,
    contentTypeOptOuts: profile.contentTypeOptOuts ?? [],
    engagementStyle: engagementStyle(profile),
    peakHoursUtc: profile.appliedEvents > 0 ? peakHours(profile, PEAK_HOURS_SHOWN) : [],
    appliedEvents: profile.appliedEvents,
    lastEventAt: profile.lastEventAtMs === null ? null : new Date(profile.lastEventAtMs).toISOString(),
    updatedAt: new Date(profile.updatedAtMs).toISOString(),
  };
}
