/**
 * Parsed forms of values read from Redis, kept per process by key and handed out again while Redis returns the
 * same text. Comparing two strings costs far less than JSON.parse and the garbage it leaves (the hot read paths
 * parse hundreds of values per request, most of them the same from one request to the next); a value changed in
 * Redis differs in text and is parsed afresh, so nothing served is ever staler than Redis. Values are shared by
 * every request: `parse` should freeze what it returns, so a caller that mutates one fails loudly.
 */
export class ParsedValues<T> {
  private readonly entries = new Map<string, { raw: string; value: T }>();

  constructor(
    private readonly maxEntries: number,
    private readonly parse: (raw: string) => T,
  ) {}

  get(key: string, raw: string): T {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.raw === raw) return entry.value;
    const value = this.parse(raw);
    if (entry !== undefined) {
      entry.raw = raw;
      entry.value = value;
    } else if (this.maxEntries > 0) {
      // Oldest first out (Map keeps insertion order): bounded memory, and no bookkeeping on the hit path.
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { raw, value });
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
