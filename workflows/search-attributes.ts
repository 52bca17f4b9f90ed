import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes operators filter on in the Temporal UI; workflows set them, the API and tests query them.
 * The launcher registers every key listed in ALL_SEARCH_ATTRIBUTES, so adding one here is enough.
 */
export const TopTopic = defineSearchAttributeKey('TopTopic', SearchAttributeType.KEYWORD);
export const LastEventAt = defineSearchAttributeKey('LastEventAt', SearchAttributeType.DATETIME);
export const CreatorTier = defineSearchAttributeKey('CreatorTier', SearchAttributeType.KEYWORD);
export const CreatorScore = defineSearchAttributeKey('CreatorScore', SearchAttributeType.DOUBLE);
export const StationStatus = defineSearchAttributeKey('StationStatus', SearchAttributeType.KEYWORD);
export const NextShowAt = defineSearchAttributeKey('NextShowAt', SearchAttributeType.DATETIME);
export const BrainIntent = defineSearchAttributeKey('BrainIntent', SearchAttributeType.KEYWORD);
export const CommandStatus = defineSearchAttributeKey('CommandStatus', SearchAttributeType.KEYWORD);
export const OnboardingStep = defineSearchAttributeKey('OnboardingStep', SearchAttributeType.KEYWORD);
export const VerificationStatus = defineSearchAttributeKey('VerificationStatus', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [
  TopTopic,
  LastEventAt,
  CreatorTier,
  CreatorScore,
  StationStatus,
  NextShowAt,
  BrainIntent,
  CommandStatus,
  OnboardingStep,
  VerificationStatus,
] as const;
