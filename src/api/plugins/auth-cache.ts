/**
 * Verified bearer tokens, remembered briefly by their exact text. Verifying an HS256 token (decode, HMAC, claims)
 * costs more per request than the rest of a cached feed read; a client repeats the same token for every request
 * until it expires, so the answer is kept until the token's `exp` or `maxAgeMs`, whichever comes first. The age cap
 * bounds how long a rotated JWKS key or a changed secret (restart) keeps accepting what it signed. Only successful
 * verifications are stored: a bad token is checked every time, and the cache holds nothing an attacker chose
 * without the signing key.
 */
export class VerifiedTokenCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAtMs: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
  ) {}

  get(token: string, nowMs: number): V | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (nowMs < entry.expiresAtMs) return entry.value;
    this.entries.delete(token);
    return undefined;
  }

  /** `expSeconds` is the token's `exp` claim (seconds since the epoch), when it has one. */
  set(token: string, value: V, expSeconds: unknown, nowMs: number): void {
    if (this.maxEntries <= 0 || this.maxAgeMs <= 0) return;
    const capped = nowMs + this.maxAgeMs;
    const expiresAtMs = typeof expSeconds === 'number' ? Math.min(expSeconds * 1000, capped) : capped;
    if (expiresAtMs <= nowMs) return;
    // Oldest first out: Map keeps insertion order, and a token stays valid however often it is read.
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { value, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
