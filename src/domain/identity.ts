// Global handles. The normalised form is the identity's key (unique index in `identities`), so two raw
// spellings that normalise alike are the same handle: '@Alice', 'ALICE' and fullwidth 'Ａｌｉｃｅ' all claim 'alice'.
//
// Alphabet: a–z, 0–9, '_' and '.', 3–30 characters after normalisation. ASCII only on purpose: it rules out
// look-alike handles ('аdmin' with a Cyrillic 'а') without a confusables table. Dots separate words, so a
// handle may not start or end with one or contain '..'. At least one letter or digit is required.
// Reserved handles are compared with '.' and '_' removed ('ad.min', 'a_p_i' are refused too), and anything
// containing 'powerstream' is refused because it would pass as an official account.

import { DAY_MS } from './utc-day.js';

export * from './external-links.js';
export * from './preference-document.js';

export const HANDLE_MIN_LENGTH = 3;
export const HANDLE_MAX_LENGTH = 30;
export const HANDLE_RENAME_COOLDOWN_DAYS = 30;

const HANDLE_ALPHABET = /^[a-z0-9_.]+$/;

// Platform and staff; routes and product surfaces a handle could shadow in a URL; words meaning nobody or everybody.
export const RESERVED_HANDLES: ReadonlySet<string> = new Set(
  [
    'admin administrator root system operator support help helpdesk staff team moderator mod official security',
    'abuse safety trust verified powerstream',
    'api www app apps docs status settings account accounts profile login logout signin signout signup register',
    'auth oauth password home explore search feed trending notifications messages live stations creators identities',
    'users leaderboards billing payments terms privacy legal about contact dev developer developers',
    'null undefined nobody anonymous guest everyone here all me you self service',
  ]
    .join(' ')
    .split(' '),
);

export type HandleRefusal = 'too_short' | 'too_long' | 'invalid_characters' | 'dot_placement' | 'reserved';
export type HandleCheck = { ok: true; handle: string } | { ok: false; reason: HandleRefusal; message: string };

/** NFKC first so fullwidth '＠' and ideographic spaces become ASCII before trimming and stripping. */
export function normaliseHandle(raw: string): string {
  const folded = raw.normalize('NFKC').trim();
  const bare = folded.startsWith('@') ? folded.slice(1) : folded;
  return bare.toLowerCase().normalize('NFKC');
}

export function isReservedHandle(handle: string): boolean {
  const squashed = handle.replace(/[._]/g, '');
  return RESERVED_HANDLES.has(squashed) || squashed.includes('powerstream');
}

export function validateHandle(raw: string): HandleCheck {
  const handle = normaliseHandle(raw);
  const refuse = (reason: HandleRefusal, message: string): HandleCheck => ({ ok: false, reason, message });
  const length = [...handle].length;
  if (length < HANDLE_MIN_LENGTH) return refuse('too_short', `A handle has at least ${HANDLE_MIN_LENGTH} characters.`);
  if (length > HANDLE_MAX_LENGTH) return refuse('too_long', `A handle has at most ${HANDLE_MAX_LENGTH} characters.`);
  if (!HANDLE_ALPHABET.test(handle) || !/[a-z0-9]/.test(handle)) {
    return refuse('invalid_characters', 'A handle uses only a–z, 0–9, "_" and ".", with at least one letter or digit.');
  }
  if (handle.startsWith('.') || handle.endsWith('.') || handle.includes('..')) {
    return refuse('dot_placement', 'A handle cannot start or end with a dot or contain two dots in a row.');
  }
  if (isReservedHandle(handle)) return refuse('reserved', `The handle "${handle}" is reserved.`);
  return { ok: true, handle };
}

/** Until when a released handle stays bound to its previous owner (who can take it back) and redirects. */
export function handleReservedUntil(renamedAtMs: number, cooldownDays: number = HANDLE_RENAME_COOLDOWN_DAYS): number {
  return renamedAtMs + Math.max(0, cooldownDays) * DAY_MS;
}

export function isHandleReleased(renamedAtMs: number, nowMs: number, cooldownDays?: number): boolean {
  return nowMs >= handleReservedUntil(renamedAtMs, cooldownDays);
}

export interface RenameLimit {
  /** Renames allowed per period. */
  max: number;
  periodDays: number;
}

export type RenameCheck = { ok: true; renamedAt: number[] } | { ok: false; retryAtMs: number };

/**
 * Whether one more rename fits the limit, given the times of earlier renames; `renamedAt` is what to store after it
 * (the ones still inside the period, plus this one). The limit stops one identity from parking handle after handle
 * in the rename cooldown; taking back a handle still reserved for the same identity parks nothing, so it is free.
 */
export function checkRenameLimit(earlierMs: number[], nowMs: number, limit: RenameLimit, free: boolean): RenameCheck {
  const periodMs = limit.periodDays * DAY_MS;
  const recent = earlierMs.filter((t) => t > nowMs - periodMs).sort((a, b) => a - b);
  if (free) return { ok: true, renamedAt: recent };
  if (recent.length < limit.max) return { ok: true, renamedAt: [...recent, nowMs] };
  return { ok: false, retryAtMs: (recent[recent.length - limit.max] ?? nowMs) + periodMs };
}
