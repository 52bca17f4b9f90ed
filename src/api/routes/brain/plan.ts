import type { PlannedStep, StepParams } from '../../../domain/brain-command.js';
import {
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

export type Understanding =
  | { kind: 'clarify'; reason: string; candidates: IntentCandidate[]; missingSlots: string[] }
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
export function plannedStep(index: number, action: IntentName, params: StepParams, targetsPrevious: boolean) {
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

export function understand(text: string, ctx: RecognitionContext, screen: ScreenContext = {}): Understanding {
  const chain = recognizeChain(text, ctx);
  const steps: PlannedStep[] = [];
  let navigation: Extract<Understanding, { kind: 'navigation' }> | null = null;
  for (const [i, part] of chain.entries()) {
    const r = part.recognition;
    if (r.kind === 'clarify') return { kind: 'clarify', reason: r.reason, candidates: r.candidates, missingSlots: [] };
    // "… and tip each 2 dollars": the creator comes from the step before.
    const missing = r.missingSlots.filter((slot) => !(part.targetsPrevious && i > 0 && slot === 'creator'));
    if (missing.length > 0) {
      const candidates = [{ intent: r.intent, confidence: r.confidence }];
      return { kind: 'clarify', reason: 'missing_slots', candidates, missingSlots: missing };
    }
    if (NAVIGATION_INTENTS.has(r.intent)) {
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
    if (filled.missing) {
      const candidates = [{ intent: r.intent, confidence: r.confidence }];
      return { kind: 'clarify', reason: 'missing_slots', candidates, missingSlots: [filled.missing] };
    }
    steps.push(plannedStep(steps.length, r.intent, filled.params, targetsPrevious));
  }
  if (steps.length > MAX_STEPS) return { kind: 'clarify', reason: 'too_many_steps', candidates: [], missingSlots: [] };
  const first = steps[0];
  if (!first) return navigation ?? { kind: 'clarify', reason: 'empty', candidates: [], missingSlots: [] };
  return { kind: 'plan', intent: first.action as IntentName, steps, navigation: navigation?.target ?? null };
}
