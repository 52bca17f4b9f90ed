import type { Money } from './money.js';
import type { Preference, Screen, StatsPeriod } from './vocab.js';
import type { WhenSlot } from './when.js';

/**
 * What slot extraction (slots.ts) can find in an utterance. Its own module because the intent catalog names these
 * slots and slot extraction reads the catalog: neither needs to import the other for the type.
 */
export interface Slots {
  /** Creator handle without "@" */
  creator?: string;
  /** Every handle, when several were named ("follow @tom and @sam") */
  creators?: string[];
  /** Who to share with */
  recipient?: string;
  /** "this", "her": the item or creator on screen */
  refersToCurrent?: boolean;
  topic?: string;
  title?: string;
  station?: string;
  amount?: Money;
  count?: number;
  /** With topic: "the top 3 chess creators" (top_creators) or "the chess creators I follow" (followed_creators) */
  targetSet?: 'top_creators' | 'followed_creators';
  when?: WhenSlot;
  durationMinutes?: number;
  screen?: Screen;
  preference?: Preference;
  period?: StatsPeriod;
}
