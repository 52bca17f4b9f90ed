/**
 * Parsed forms of values read from Redis, kept per process by key and handed out again while Redis returns the same
 * bytes. Values are read as Buffers (ioredis `*Buffer` commands): their bytes live outside the JS heap, and comparing
 * them with the kept copy costs far less than decoding the text and JSON.parse, and leaves no garbage behind (the hot
 * read paths read hundreds of values per request, most of them the same from one request to the next). A value
 * changed in Redis differs in bytes and is parsed afresh, so nothing served is ever staler than Redis. Values are
 * shared by every request: `parse` should freeze what it returns, so a caller that mutates one fails loudly.
 */
export class ParsedValues<T> {
  private readonly entries = new Map<string, { raw: Buffer; value: T }>();

  constructor(
    private readonly maxEntries: number,
    private readonly parse: (text: string) => T,
  ) {}

  get(key: string, raw: Buffer): T {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.raw.equals(raw)) return entry.value;
    const value = this.parse(raw.toString('utf8'));
    if (this.maxEntries === 0) return value;
    // A copy: a reply is a view of the connection's read chunk, which keeping the view would keep whole.
    const kept = Buffer.from(raw);
    if (entry !== undefined) {
      entry.raw = kept;
      entry.value = value;
    } else {
      // Oldest first out (Map keeps insertion order): bounded memory, and no bookkeeping on the hit path.
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { raw: kept, value });
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
