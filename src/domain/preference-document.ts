// Per-app preference documents are opaque JSON that each app owns; the platform only bounds them so one
// app cannot bloat the identity record or hand a deeply nested bomb to every reader. Oversize answers 413
// (Payload Too Large), bad shape or nesting 422.

export interface PreferenceLimits {
  /** Size of the document serialised with JSON.stringify, in UTF-8 bytes. */
  maxBytes: number;
  /** Nesting levels; the document object itself is level 1. */
  maxDepth: number;
}

export const PREFERENCE_LIMITS: PreferenceLimits = { maxBytes: 16 * 1024, maxDepth: 8 };

export type PreferenceCheck =
  { ok: true; bytes: number; depth: number } | { ok: false; status: 413 | 422; reason: string };

/** UTF-8 length of a string, counted from UTF-16 code units so no encoder or Buffer is needed. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const isPlainObject = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

export function checkPreferenceDocument(doc: unknown, limits: PreferenceLimits = PREFERENCE_LIMITS): PreferenceCheck {
  const tooLarge = (): PreferenceCheck => ({ ok: false, status: 413, reason: `Larger than ${limits.maxBytes} bytes.` });
  const invalid = (reason: string): PreferenceCheck => ({ ok: false, status: 422, reason });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !isPlainObject(doc)) {
    return invalid('Preferences must be a JSON object.');
  }
  // Walk iteratively before serialising: a deep document would overflow the stack in a recursive walk or in
  // JSON.stringify, and the depth limit also stops the walk on cycles. Every value serialises to at least one
  // byte, so more values than maxBytes is already too large without finishing the walk.
  const stack: { value: unknown; depth: number }[] = [{ value: doc, depth: 1 }];
  let maxSeen = 1;
  let values = 0;
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, depth } = item;
    if (++values > limits.maxBytes) return tooLarge();
    if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return invalid('Numbers must be finite.');
      continue;
    }
    if (typeof value !== 'object' || !(Array.isArray(value) || isPlainObject(value))) {
      return invalid(`Unsupported value of type ${typeof value}.`);
    }
    if (depth > limits.maxDepth) return invalid(`Nested deeper than ${limits.maxDepth} levels.`);
    maxSeen = Math.max(maxSeen, depth);
    for (const child of Object.values(value)) stack.push({ value: child, depth: depth + 1 });
  }
  const bytes = utf8ByteLength(JSON.stringify(doc));
  return bytes > limits.maxBytes ? tooLarge() : { ok: true, bytes, depth: maxSeen };
}
