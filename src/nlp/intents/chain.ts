import { defaultRecognizer, type IntentRecognizer, type Recognition, type RecognitionContext } from './classifier.js';

/**
 * Splits a spoken chain ("follow the top 3 gaming creators and tip each 2 dollars", "like and
 * share this") into commands for the planner. A connector only splits when both sides stand on
 * their own as different intents, so "follow @tom and @sam", "block and report @x" and
 * "the q and a session" stay one command.
 */

export interface ChainStep {
  text: string;
  recognition: Recognition;
  /**
   * The step's target comes from the step before: "… and tip each 2 dollars" (every creator the
   * previous step acted on), "follow @alice then tip her 5 bucks" (pronouns point back).
   */
  targetsPrevious: boolean;
}

const CONNECTOR = /(\s*,?\s+(?:and then|and also|then|and|after that|also)\s+)/i;
const POINTS_BACK = /\b(?:each|every one|all of them|them all|both|her|him|them|they)\b/i;

function standsAlone(recognition: Recognition): recognition is Extract<Recognition, { kind: 'intent' }> {
  return recognition.kind === 'intent';
}

export function recognizeChain(
  utterance: string,
  ctx: RecognitionContext,
  recognizer: IntentRecognizer = defaultRecognizer(),
): ChainStep[] {
  // Each piece is recognised several times while pieces are merged; the answer depends only on its text.
  const seen = new Map<string, Recognition>();
  const recognize = (text: string): Recognition => {
    const known = seen.get(text);
    if (known) return known;
    const r = recognizer.recognize(text, ctx);
    seen.set(text, r);
    return r;
  };
  // split() with a capturing group keeps the connectors at odd indexes, so merges are lossless.
  const pieces = utterance.split(CONNECTOR);
  const texts: string[] = [pieces[0] ?? ''];
  for (let i = 1; i + 1 < pieces.length; i += 2) {
    const previous = texts[texts.length - 1] ?? '';
    const part = pieces[i + 1] ?? '';
    const before = recognize(previous);
    const after = recognize(part);
    if (standsAlone(before) && standsAlone(after) && before.intent !== after.intent) texts.push(part);
    else texts[texts.length - 1] = previous + (pieces[i] ?? ' ') + part;
  }
  return texts.map((text, i) => ({
    text,
    recognition: recognize(text),
    targetsPrevious: i > 0 && POINTS_BACK.test(text),
  }));
}
