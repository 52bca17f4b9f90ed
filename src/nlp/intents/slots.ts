import { intentSpec, type IntentName } from './catalog.js';
import { locateEntities } from './entities.js';
import { findNameAfterVerb, refersToCurrent } from './handles.js';
import { findBareAmount } from './money.js';
import type { Slots } from './slot-values.js';
import { cleanText } from './text.js';
import { searchTopic, showTitle, stationName, topicOfCreators, topicOfShow } from './topics.js';
import { findPreference, findScreen, findStatsPeriod } from './vocab.js';
import type { ClockContext } from './when.js';

/**
 * Pure slot extraction: what the command is about, once the classifier has said what it is.
 * The clock (nowMs, timezone) is an argument so the same utterance always gives the same slots.
 */

export type { Slots } from './slot-values.js';

/** Intents that may act on a set of creators looked up by topic. */
const CREATOR_SET_INTENTS: ReadonlySet<IntentName> = new Set<IntentName>([
  'follow_creator',
  'unfollow_creator',
  'tip_creator',
]);
/** "the cooking creators I follow", "everyone I'm following in chess": the set is the caller's follows. */
const FOLLOWED =
  /\b(?:i|we) (?:already )?(?:follow|am following|are following)\b|\b(?:i am|i'm) following\b|\bmy follow(?:s|ed|ing)\b/;

/** Every slot the utterance offers, before narrowing to what the intent declares. */
function allSlots(intent: IntentName, text: string, clock: ClockContext): Slots {
  const found = locateEntities(text, clock);
  const handles = found.handles.map((h) => h.value);
  const collective = CREATOR_SET_INTENTS.has(intent);
  const topic =
    intent === 'search'
      ? searchTopic(found.masked)
      : collective
        ? topicOfCreators(found.masked)
        : topicOfShow(found.masked);
  // "follow 3 fitness creators": the word after the verb is the topic, not a name.
  const bareName = collective && topic ? undefined : findNameAfterVerb(found.masked)?.value;
  const named = handles[0] ?? found.possessives[0]?.value ?? bareName;
  const amount = found.money ?? (intent === 'tip_creator' ? findBareAmount(found.masked)?.value : undefined);
  const title = showTitle(found.masked);
  return {
    creator: named,
    creators: handles.length > 1 ? handles : undefined,
    recipient: named,
    refersToCurrent: named === undefined && refersToCurrent(text),
    topic,
    title,
    station: stationName(found.masked, handles),
    amount,
    count: found.count,
    targetSet: collective && topic ? (FOLLOWED.test(text) ? 'followed_creators' : undefined) : undefined,
    when: found.when,
    durationMinutes: found.durationMinutes,
    screen: findScreen(text),
    preference: findPreference(text),
    period: findStatsPeriod(text),
  };
}

/**
 * Slots for an utterance already classified as `intent`, limited to the slots the catalog
 * declares for it (so "open my notifications" never carries a stray creator).
 */
export function extractSlots(intent: IntentName, utterance: string, clock: ClockContext): Slots {
  const everything = allSlots(intent, cleanText(utterance), clock);
  const declared = new Set<keyof Slots>(intentSpec(intent).slots.map((s) => s.name));
  const slots: Slots = {};
  for (const key of Object.keys(everything) as Array<keyof Slots>) {
    if (everything[key] !== undefined && declared.has(key)) Object.assign(slots, { [key]: everything[key] });
  }
  const usesCurrent = intentSpec(intent).slots.some((s) => s.fallback?.includes('current_creator'));
  if (usesCurrent && everything.refersToCurrent) slots.refersToCurrent = true;
  return slots;
}
