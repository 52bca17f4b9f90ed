import { isIP } from 'node:net';

/**
 * CORS_ORIGINS and TRUST_PROXY checked once at start-up, so a typo fails the deploy with a message naming the
 * variable instead of silently opening the API to every origin or keying every caller's rate limit on the proxy.
 */

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** Exact origins; a wildcard is refused, since the API takes bearer tokens a page on any site could replay. */
export function parseCorsOrigins(value: string): string[] {
  const origins = splitList(value);
  for (const origin of origins) {
    if (!ORIGIN.test(origin)) {
      throw new Error(`CORS_ORIGINS: "${origin}" is not an origin like https://app.example.com (no path, no "*")`);
    }
  }
  return origins;
}

/**
 * Fastify's `trustProxy`: false, the proxies' addresses (IPs or CIDRs), or for a hop count a function trusting
 * that many hops nearest the API (what Fastify does with a number, which its types do not admit).
 */
export function parseTrustProxy(value: string): false | string[] | ((address: string, hop: number) => boolean) {
  const trimmed = value.trim();
  if (trimmed === '') return false;
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    if (hops < 1 || hops > 10) throw new Error(`TRUST_PROXY: a hop count must be 1–10, got ${trimmed}`);
    return (_address, hop) => hop < hops;
  }
  const entries = splitList(trimmed);
  for (const entry of entries) {
    if (!isAddressOrCidr(entry)) throw new Error(`TRUST_PROXY: "${entry}" is neither an IP address nor a CIDR range`);
  }
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d+$/.test(bits) && prefix <= (version === 4 ? 32 : 128);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}
