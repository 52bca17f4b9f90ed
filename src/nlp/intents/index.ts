/** Brain Mode language understanding: what the API and the command planner import. */
export {
  INTENT_CATALOG,
  INTENT_NAMES,
  intentSpec,
  isIntentName,
  missingSlots,
  type IntentName,
  type IntentSpec,
  type SlotName,
  type SlotSpec,
} from './catalog.js';
export { recognizeChain, type ChainStep } from './chain.js';
export { refersToCurrent } from './handles.js';
export {
  CLARIFY_THRESHOLDS,
  IntentRecognizer,
  defaultRecognizer,
  intentModelInfo,
  recognizeIntent,
  type ClarifyReason,
  type IntentCandidate,
  type Recognition,
  type RecognitionContext,
} from './classifier.js';
export type { Money } from './money.js';
export { extractSlots, type Slots } from './slots.js';
export { SCREENS, type Preference, type PreferenceKey, type Screen, type StatsPeriod } from './vocab.js';
export type { WhenSlot } from './when.js';
export { isValidTimeZone } from './zoned.js';
