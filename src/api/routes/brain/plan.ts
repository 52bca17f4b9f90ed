import type { PlannedStep, StepParams } from '../../../domain/brain-command.js';
import {
  intentSpec,
  recognizeChain,
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

/** An action step as the workflow runs it; "the creator on screen" is not known to the backend, so it is absent. */
export function plannedStep(index: number, action: IntentName, params: StepParams, targetsPrevious: boolean) {
  return { index, action, params, needsConfirmation: intentSpec(action).needsConfirmation, targetsPrevious };
}

function stepParams(slots: Slots): StepParams {
  const { refersToCurrent: _current, screen: _screen, period: _period, recipient: _recipient, ...params } = slots;
  return params;
}

export function understand(text: string, ctx: RecognitionContext): Understanding {
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
    steps.push(plannedStep(steps.length, r.intent, stepParams(r.slots), part.targetsPrevious && steps.length > 0));
  }
  if (steps.length > MAX_STEPS) return { kind: 'clarify', reason: 'too_many_steps', candidates: [], missingSlots: [] };
  const first = steps[0];
  if (!first) return navigation ?? { kind: 'clarify', reason: 'empty', candidates: [], missingSlots: [] };
  return { kind: 'plan', intent: first.action as IntentName, steps, navigation: navigation?.target ?? null };
}
