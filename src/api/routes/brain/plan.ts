import type { PlannedStep, StepParams } from '../../../domain/brain-command.js';
import {
  INTENT_CATALOG,
  intentSpec,
  recognizeChain,
  refersToCurrent,
  type IntentCandidate,
  type IntentName,
  type RecognitionContext,
  type Slots,
} from '../../../nlp/intents/index.js';

/**
 * Turns what the user said into either a plan of steps for the command workflow, a screen to open, or a question
 * back. Recognition happens here, in the API: the workflow receives the finished plan and never imports src/nlp.
 */

/** Intents that only open something in the app: answered at once, no workflow. */
export const NAVIGATION_INTENTS: ReadonlySet<IntentName> = new Set<IntentName>([
  'navigate',
  'open_creator',
  'open_station',
  'search',
  'whats_on',
  'show_stats',
  'help',
]);

export const isActionIntent = (intent: IntentName): boolean => !NAVIGATION_INTENTS.has(intent);

/** A chain longer than this is more likely a misheard ramble than a plan; it is asked about instead. */
export const MAX_STEPS = 8;

export interface NavigationTarget {
  screen: string;
  params: Record<string, string>;
}

/** What the client shows while the user speaks: "this", "her" and a bare "like" mean these. */
export interface ScreenContext {
  contentId?: string;
  creatorId?: string;
  stationId?: string;
  /** The screen's name ("player", "creator", …): accepted with the rest of the context; planning does not need it. */
  screen?: string;
}

export interface Clarification {
  kind: 'clarify';
  reason: string;
  candidates: IntentCandidate[];
  missingSlots: string[];
  /** What to say back: the question, and for text Brain Mode cannot act on, what it can do. */
  message: string;
  /** Handles the user may have meant, for a handle nobody has. */
  suggestions?: string[];
}

export type Understanding =
  | Clarification
  | { kind: 'navigation'; intent: IntentName; confidence: number; target: NavigationTarget }
  | { kind: 'plan'; intent: IntentName; steps: PlannedStep[]; navigation: NavigationTarget | null };

const defined = (entries: Array<[string, string | undefined]>): Record<string, string> =>
  Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined));

/** Where the app should go for a navigation intent. */
export function navigationTarget(intent: IntentName, slots: Slots): NavigationTarget {
  switch (intent) {
    case 'open_creator':
      return { screen: 'creator', params: defined([['handle', slots.creator]]) };
    case 'open_station':
      return { screen: 'station', params: defined([['station', slots.station]]) };
    case 'search':
      return { screen: 'search', params: defined([['q', slots.topic]]) };
    case 'whats_on':
      return {
        screen: 'live',
        params: defined([
          ['station', slots.station],
          ['at', slots.when?.iso],
        ]),
      };
    case 'show_stats':
      return { screen: 'studio', params: defined([['period', slots.period]]) };
    case 'help':
      return { screen: 'help', params: {} };
    default:
      return { screen: slots.screen ?? 'home', params: {} };
  }
}

/** An action step as the workflow runs it. */
export function plannedStep(
  index: number,
  action: IntentName,
  params: StepParams,
  targetsPrevious: boolean,
): PlannedStep {
  return { index, action, params, needsConfirmation: intentSpec(action).needsConfirmation, targetsPrevious };
}

function stepParams(slots: Slots): StepParams {
  const { refersToCurrent: _current, screen: _screen, period: _period, recipient: _recipient, ...params } = slots;
  return params;
}

const ITEM_INTENTS: ReadonlySet<IntentName> = new Set<IntentName>(['like_item', 'share_item']);
const STATION_INTENTS: ReadonlySet<IntentName> = new Set<IntentName>([
  'schedule_show',
  'cancel_show',
  'go_live',
  'end_live',
]);

/**
 * Fills from the screen what the words point at: the item for a like or share, the creator for "follow her" /
 * "tip this creator" (or the item, whose creator the step looks up), the station for "go live on this station".
 * Returns the slot still missing when the screen does not have it, so the user is asked instead of guessed for.
 */
function withScreen(
  intent: IntentName,
  slots: Slots,
  text: string,
  params: StepParams,
  screen: ScreenContext,
): { params: StepParams; missing: string | null } {
  if (ITEM_INTENTS.has(intent)) {
    return screen.contentId
      ? { params: { ...params, contentId: screen.contentId }, missing: null }
      : { params, missing: 'contentId' };
  }
  if (slots.refersToCurrent && !slots.creator && !slots.creators && !slots.topic) {
    if (screen.creatorId) return { params: { ...params, creatorId: screen.creatorId }, missing: null };
    if (screen.contentId) return { params: { ...params, contentId: screen.contentId }, missing: null };
    return { params, missing: 'creator' };
  }
  if (STATION_INTENTS.has(intent) && !slots.station && screen.stationId && refersToCurrent(text)) {
    return { params: { ...params, station: screen.stationId }, missing: null };
  }
  return { params, missing: null };
}

/**
 * The safety rule for plans that change state. A step is planned only for an in-scope intent the recogniser is sure
 * of (at least this confident, on top of its own clarify rules), with every required slot; anything else is a
 * question back. The bar is above the recogniser's own (0.35) because a wrong navigation costs a tap back, a wrong
 * follow, tip or cancellation costs the user.
 */
export const MIN_ACTION_CONFIDENCE = 0.5;
/**
 * And every state-changing step must be made of words the catalog knows, but for names and topics: "cancel my
 * uber" shares "cancel" with cancel_show, yet half of it is about something Brain Mode has never heard of.
 */
export const MIN_ACTION_KNOWN_SHARE = 0.7;

/** What Brain Mode can do, in the catalog's words: said back when the request is outside it or unclear. */
export const CAPABILITIES = `I can: ${INTENT_CATALOG.map((spec) => spec.description.toLowerCase()).join('; ')}.`;

const QUESTIONS: Readonly<Record<string, string>> = {
  out_of_scope: 'That is not something Brain Mode can do.',
  unknown_words: 'I did not understand that.',
  low_confidence: 'I am not sure what you want me to do.',
  ambiguous: 'That could mean more than one thing.',
  low_asr_confidence: 'I may have misheard you.',
  empty: 'I did not catch anything.',
  too_many_steps: 'That is more steps than I take at once; please say them one or a few at a time.',
};

export function clarification(
  reason: string,
  candidates: IntentCandidate[],
  missingSlots: string[] = [],
): Clarification {
  const question =
    reason === 'missing_slots'
      ? `Please tell me the ${missingSlots.join(' and ')}.`
      : `${QUESTIONS[reason] ?? 'Could you say that another way?'} ${CAPABILITIES}`;
  return { kind: 'clarify', reason, candidates, missingSlots, message: question };
}

/** A step over a looked-up set ("the top 3 chess creators"): the user sees the list and says yes before it runs. */
export function isCollective(params: StepParams): boolean {
  return params.topic !== undefined && !params.creator && !params.creators && !params.creatorId && !params.contentId;
}

const COLLECTIVE_INTENTS: ReadonlySet<IntentName> = new Set<IntentName>([
  'follow_creator',
  'unfollow_creator',
  'tip_creator',
]);

export function understand(text: string, ctx: RecognitionContext, screen: ScreenContext = {}): Understanding {
  const chain = recognizeChain(text, ctx);
  const steps: PlannedStep[] = [];
  let navigation: Extract<Understanding, { kind: 'navigation' }> | null = null;
  for (const [i, part] of chain.entries()) {
    const r = part.recognition;
    if (r.kind === 'clarify') return clarification(r.reason, r.candidates);
    const candidates = [{ intent: r.intent, confidence: r.confidence }];
    const changesState = !NAVIGATION_INTENTS.has(r.intent);
    // Before asking for a slot: "schedule an oil change" must not be asked when the oil change should start.
    if (changesState && r.knownWordShare < MIN_ACTION_KNOWN_SHARE) return clarification('out_of_scope', candidates);
    if (changesState && r.confidence < MIN_ACTION_CONFIDENCE) return clarification('low_confidence', candidates);
    // "… and tip each 2 dollars": the creator comes from the step before.
    const missing = r.missingSlots.filter((slot) => !(part.targetsPrevious && i > 0 && slot === 'creator'));
    if (missing.length > 0) return clarification('missing_slots', candidates, missing);
    if (!changesState) {
      navigation ??= {
        kind: 'navigation',
        intent: r.intent,
        confidence: r.confidence,
        target: navigationTarget(r.intent, r.slots),
      };
      continue;
    }
    const targetsPrevious = part.targetsPrevious && steps.length > 0;
    // "… and tip her 5 dollars" points at the step before, not at the screen.
    const filled = targetsPrevious
      ? { params: stepParams(r.slots), missing: null }
      : withScreen(r.intent, r.slots, part.text, stepParams(r.slots), screen);
    if (filled.missing) return clarification('missing_slots', candidates, [filled.missing]);
    const step = plannedStep(steps.length, r.intent, filled.params, targetsPrevious);
    if (COLLECTIVE_INTENTS.has(r.intent) && !targetsPrevious && isCollective(step.params)) {
      step.params.targetSet ??= r.intent === 'unfollow_creator' ? 'followed_creators' : 'top_creators';
      step.needsConfirmation = true;
    }
    steps.push(step);
  }
  if (steps.length > MAX_STEPS) return clarification('too_many_steps', []);
  const first = steps[0];
  if (!first) return navigation ?? clarification('empty', []);
  return { kind: 'plan', intent: first.action as IntentName, steps, navigation: navigation?.target ?? null };
}

/**
 * What the planner answers, as the held-out evaluation scores it: the intent planned, navigated by or asked a slot
 * of; out_of_scope or clarify for other questions; and whether a state-changing command would start.
 */
export function answerOf(text: string, ctx: RecognitionContext, screen: ScreenContext = {}) {
  const u = understand(text, ctx, screen);
  if (u.kind === 'plan') return { label: u.intent, changesState: true };
  if (u.kind === 'navigation') return { label: u.intent, changesState: false };
  const understood = u.reason === 'missing_slots' ? u.candidates[0]?.intent : undefined;
  return { label: understood ?? (u.reason === 'out_of_scope' ? 'out_of_scope' : 'clarify'), changesState: false };
}
