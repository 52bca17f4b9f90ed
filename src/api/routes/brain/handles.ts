import type { Db } from 'mongodb';
import type { PlannedStep } from '../../../domain/brain-command.js';
import { validateHandle } from '../../../domain/identity.js';
import { closestHandle } from '../../../nlp/intents/typos.js';
import { handlesCollection } from '../../../store/handles.js';
import { resolveHandle } from '../../../store/identity-lookup.js';
import { clarification, type Clarification, type NavigationTarget } from './plan.js';

/**
 * Handles named in a plan, checked against the identities before anything runs. A handle nobody has is asked back
 * ("@mia.musc": did you mean @mia.music?), never shortened to one somebody has; a near miss of exactly one existing
 * handle is corrected, and the step then waits for the user's yes, since it now names someone they did not say.
 */

export interface HandleCorrection {
  from: string;
  to: string;
  stepIndex: number;
}

/** How many handles sharing the first letter are compared: enough for a typo of a real one, bounded per request. */
const FUZZY_CANDIDATES = 2000;

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function exists(db: Db, handle: string): Promise<boolean> {
  return (await resolveHandle(db, handle, new Date())) !== null;
}

async function nearMiss(db: Db, handle: string): Promise<string | undefined> {
  const check = validateHandle(handle);
  const wanted = check.ok ? check.handle : handle;
  const docs = await handlesCollection(db)
    .find({ _id: { $regex: `^${escapeRegex(wanted.slice(0, 1))}` }, identityId: { $ne: null } })
    .project<{ _id: string }>({ _id: 1 })
    .limit(FUZZY_CANDIDATES)
    .toArray();
  return closestHandle(
    wanted,
    docs.map((d) => d._id),
  );
}

/** One handle: kept when someone has it, corrected to the one near miss, else undefined with a suggestion-less ask. */
async function resolveOne(db: Db, handle: string): Promise<{ handle: string; corrected: boolean } | undefined> {
  if (await exists(db, handle)) return { handle, corrected: false };
  const near = await nearMiss(db, handle);
  return near ? { handle: near, corrected: true } : undefined;
}

/**
 * Checks every handle the steps name. Returns the steps (with corrections applied and those steps confirmed) or
 * the question to ask when a handle resolves to nobody.
 */
export async function checkHandles(
  db: Db,
  steps: PlannedStep[],
): Promise<{ steps: PlannedStep[]; corrections: HandleCorrection[] } | Clarification> {
  const corrections: HandleCorrection[] = [];
  const checked: PlannedStep[] = [];
  for (const step of steps) {
    const { creator, creators } = step.params;
    const named = creators ?? (creator ? [creator] : []);
    const resolved: string[] = [];
    for (const handle of named) {
      const found = await resolveOne(db, handle);
      if (!found) {
        const ask = clarification('unknown_handle', [], ['creator']);
        return { ...ask, message: `Nobody has the handle @${handle}. Who did you mean?` };
      }
      if (found.corrected) corrections.push({ from: handle, to: found.handle, stepIndex: step.index });
      resolved.push(found.handle);
    }
    const changed = resolved.some((h, i) => h !== named[i]);
    if (!changed) {
      checked.push(step);
      continue;
    }
    const params = creators ? { ...step.params, creators: resolved } : { ...step.params, creator: resolved[0] };
    checked.push({ ...step, params, needsConfirmation: true });
  }
  return { steps: checked, corrections };
}

/** "open @mia.musc": a creator's page only for a handle someone has; otherwise the question, with the near miss. */
export async function checkNavigation<N extends { intent: string; target: NavigationTarget }>(
  db: Db,
  navigation: N,
): Promise<N | Clarification> {
  const handle = navigation.intent === 'open_creator' ? navigation.target.params.handle : undefined;
  if (handle === undefined) return navigation;
  const found = await resolveOne(db, handle);
  if (found && !found.corrected) return navigation;
  const ask = clarification('unknown_handle', [], ['creator']);
  const message = found
    ? `Nobody has the handle @${handle}. Did you mean @${found.handle}?`
    : `Nobody has the handle @${handle}. Who did you mean?`;
  return { ...ask, message, ...(found && { suggestions: [found.handle] }) };
}
