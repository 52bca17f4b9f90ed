import utterances from './utterances.json' with { type: 'json' };
import type { Slots } from './slot-values.js';

/**
 * What Brain Mode understands, served as-is by GET /api/brain/intents. The planner reads
 * needsConfirmation to decide which steps wait for the user, and missingSlots to ask a follow-up
 * question instead of guessing.
 */

export const INTENT_NAMES = [
  'navigate', 'open_creator', 'open_station', 'search', 'follow_creator', 'unfollow_creator', 'block_creator',
  'like_item', 'share_item', 'tip_creator', 'schedule_show', 'cancel_show', 'go_live', 'end_live',
  'set_preference', 'whats_on', 'show_stats', 'undo', 'help',
] as const; // prettier-ignore
export type IntentName = (typeof INTENT_NAMES)[number];

/**
 * The classifier's own class for what Brain Mode does not do ("cancel my gym membership", "order a pizza"). It is
 * trained on negative examples like any intent, so a request near a command's words but about something else is
 * recognised as such, rather than merely scoring low; it is never planned and never listed in the catalog.
 */
export const OUT_OF_SCOPE = 'out_of_scope';
export type IntentLabel = IntentName | typeof OUT_OF_SCOPE;

export type SlotName = Exclude<keyof Slots, 'refersToCurrent'>;

export interface SlotSpec {
  name: SlotName;
  required: boolean;
  description: string;
  /** Other ways a required slot is satisfied: the creator on screen ("follow her"), or another slot. */
  fallback?: Array<'current_creator' | SlotName>;
}

export interface IntentSpec {
  name: IntentName;
  description: string;
  slots: SlotSpec[];
  /** Risky or costly: the command waits for the user's explicit yes before this step runs. */
  needsConfirmation: boolean;
  examples: string[];
}

const EXAMPLES_PER_INTENT = 6;

const slot = (name: SlotName, required: boolean, description: string, fallback?: SlotSpec['fallback']): SlotSpec =>
  fallback ? { name, required, description, fallback } : { name, required, description };

const creator = (verb: string): SlotSpec =>
  slot('creator', true, `handle of the creator to ${verb}; defaults to the creator on screen`, ['current_creator']);

// A step over a looked-up set: "the top 3 chess creators", "all the cooking creators I follow".
const targetSet = slot(
  'targetSet',
  false,
  'with topic: top_creators (by creator score) or followed_creators (those the caller follows); confirmed as a list',
);

const station = slot('station', false, 'station name or handle; defaults to the caller’s own station');
const when = (required: boolean): SlotSpec => slot('when', required, 'start time, resolved in the user’s timezone');
const topic = (description: string): SlotSpec => slot('topic', false, description);

type Definition = Omit<IntentSpec, 'name' | 'examples'>;

const DEFINITIONS: Readonly<Record<IntentName, Definition>> = {
  navigate: {
    description: 'Open a screen of the app',
    slots: [slot('screen', true, 'screen to open')],
    needsConfirmation: false,
  },
  open_creator: { description: 'Open a creator’s channel', slots: [creator('open')], needsConfirmation: false },
  open_station: {
    description: 'Open or tune in to a TV station',
    slots: [slot('station', true, 'station name or handle')],
    needsConfirmation: false,
  },
  search: {
    description: 'Search videos, creators and streams about a topic',
    slots: [slot('topic', true, 'what to search for'), slot('count', false, 'how many results')],
    needsConfirmation: false,
  },
  follow_creator: {
    description: 'Follow a creator, or the top creators of a topic',
    slots: [
      slot('creator', true, 'handle to follow; or the creator on screen; or use topic + count', [
        'current_creator',
        'topic',
      ]),
      slot('creators', false, 'several handles named at once'),
      topic('follow the top creators of this topic'),
      slot('count', false, 'how many top creators of the topic'),
      targetSet,
    ],
    needsConfirmation: false,
  },
  unfollow_creator: {
    description: 'Stop following a creator, or every followed creator of a topic',
    slots: [
      slot('creator', true, 'handle to unfollow; or the creator on screen; or use topic', ['current_creator', 'topic']),
      slot('creators', false, 'several handles named at once'),
      topic('unfollow the followed creators of this topic'),
      slot('count', false, 'how many of them'),
      targetSet,
    ],
    needsConfirmation: false,
  },
  block_creator: {
    description: 'Block a creator: hide their content and stop interactions',
    slots: [creator('block')],
    needsConfirmation: true,
  },
  like_item: { description: 'Like what is playing now', slots: [], needsConfirmation: false },
  share_item: {
    description: 'Share what is playing now, optionally with someone',
    slots: [slot('recipient', false, 'handle to send it to; otherwise a share link')],
    needsConfirmation: false,
  },
  tip_creator: {
    description: 'Send a creator a tip, or each of the top or followed creators of a topic',
    slots: [
      slot('creator', true, 'handle to tip; or the creator on screen; or use topic + count', [
        'current_creator',
        'topic',
      ]),
      slot('amount', true, 'amount and currency, for each creator; currency defaults to the wallet’s'),
      slot('creators', false, 'several handles named at once'),
      topic('tip the top (or followed) creators of this topic'),
      slot('count', false, 'how many creators of the topic'),
      targetSet,
    ],
    needsConfirmation: true,
  },
  schedule_show: {
    description: 'Schedule a show on the caller’s station',
    slots: [
      when(true),
      slot('durationMinutes', false, 'length in minutes'),
      topic('what the show is about'),
      slot('title', false, 'show title'),
      station,
    ],
    needsConfirmation: false,
  },
  cancel_show: {
    description: 'Cancel a scheduled show; without details, the next one',
    slots: [when(false), topic('which show, by subject'), slot('title', false, 'which show, by title'), station],
    // Destructive: followers were told the show is coming, and a misheard "cancel" cannot be taken back for them.
    needsConfirmation: true,
  },
  go_live: {
    description: 'Start broadcasting now',
    slots: [topic('what the stream is about'), slot('title', false, 'stream title'), station],
    needsConfirmation: false,
  },
  end_live: { description: 'End the caller’s live broadcast', slots: [station], needsConfirmation: true },
  set_preference: {
    description: 'Change an app preference',
    slots: [slot('preference', true, 'preference key and value')],
    needsConfirmation: false,
  },
  whats_on: {
    description: 'What is live or coming up',
    slots: [slot('station', false, 'a station; otherwise all'), when(false)],
    needsConfirmation: false,
  },
  show_stats: {
    description: 'The caller’s creator stats',
    slots: [slot('period', false, 'today, week, month, year, last_stream or all_time')],
    needsConfirmation: false,
  },
  undo: { description: 'Undo the last completed command', slots: [], needsConfirmation: false },
  help: { description: 'What Brain Mode can do', slots: [], needsConfirmation: false },
};

const EXAMPLES: Readonly<Record<string, readonly string[]>> = utterances.intents;

export const INTENT_CATALOG: readonly IntentSpec[] = INTENT_NAMES.map((name) => ({
  name,
  ...DEFINITIONS[name],
  examples: (EXAMPLES[name] ?? []).slice(0, EXAMPLES_PER_INTENT),
}));

const BY_NAME = new Map<IntentName, IntentSpec>(INTENT_CATALOG.map((spec) => [spec.name, spec]));

export function isIntentName(name: string): name is IntentName {
  return BY_NAME.has(name as IntentName);
}

export function intentSpec(name: IntentName): IntentSpec {
  const spec = BY_NAME.get(name);
  if (!spec) throw new Error(`unknown intent ${name}`);
  return spec;
}

function satisfiedByFallback(spec: SlotSpec, slots: Slots): boolean {
  return (spec.fallback ?? []).some((alt) =>
    alt === 'current_creator' ? slots.refersToCurrent : slots[alt] !== undefined,
  );
}

/** Required slots the utterance left open, after fallbacks: the caller should ask for these. */
export function missingSlots(name: IntentName, slots: Slots): SlotName[] {
  return intentSpec(name)
    .slots.filter((spec) => spec.required && slots[spec.name] === undefined && !satisfiedByFallback(spec, slots))
    .map((spec) => spec.name);
}
