// External links shown on an identity. They are rendered as clickable links and may be fetched for previews,
// so anything pointing at a private network (IP literals, localhost, single-label hosts) or smuggling
// credentials is refused, and a link labelled with a known platform must point at that platform.

// prettier-ignore
export const LINK_KINDS = [
  'website', 'youtube', 'instagram', 'tiktok', 'twitch', 'x', 'facebook', 'linkedin', 'github', 'other',
] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** Registrable domains per known kind; subdomains (www., m., music.) match too. */
export const LINK_HOSTS: Readonly<Partial<Record<LinkKind, readonly string[]>>> = {
  youtube: ['youtube.com', 'youtu.be'],
  instagram: ['instagram.com'],
  tiktok: ['tiktok.com'],
  twitch: ['twitch.tv'],
  x: ['x.com', 'twitter.com'],
  facebook: ['facebook.com', 'fb.com'],
  linkedin: ['linkedin.com'],
  github: ['github.com'],
};

export const MAX_LINK_LENGTH = 2048;
export const MAX_LINKS = 10;

export interface ExternalLink {
  kind: LinkKind;
  url: string;
}

export type LinkRefusal =
  | 'unknown_kind'
  | 'too_long'
  | 'invalid_url'
  | 'unsupported_scheme'
  | 'credentials'
  | 'ip_address'
  | 'local_host'
  | 'host_mismatch';

export type LinkCheck = { ok: true; link: ExternalLink } | { ok: false; reason: LinkRefusal; message: string };

export interface LinkListError {
  /** Index of the offending link; null for a problem with the list as a whole. */
  index: number | null;
  reason: LinkRefusal | 'too_many' | 'duplicate';
  message: string;
}

export type LinkListCheck = { ok: true; links: ExternalLink[] } | { ok: false; errors: LinkListError[] };

const isLinkKind = (kind: string): kind is LinkKind => (LINK_KINDS as readonly string[]).includes(kind);
const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa'];

// WHATWG parsing already rewrote every IPv4 spelling (0x7f.1, 2130706433) into dotted decimal.
const isIpLiteral = (host: string): boolean => host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host);

export function validateExternalLink(input: { kind: string; url: string }): LinkCheck {
  const refuse = (reason: LinkRefusal, message: string): LinkCheck => ({ ok: false, reason, message });
  if (!isLinkKind(input.kind)) return refuse('unknown_kind', `Link kind must be one of: ${LINK_KINDS.join(', ')}.`);
  if (input.url.length > MAX_LINK_LENGTH)
    return refuse('too_long', `A link has at most ${MAX_LINK_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(input.url.trim());
  } catch {
    return refuse('invalid_url', 'Not a valid absolute URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return refuse('unsupported_scheme', 'Only http and https links are allowed.');
  if (url.username || url.password) return refuse('credentials', 'Links may not contain a user name or password.');
  const host = url.hostname.replace(/\.$/, '');
  if (isIpLiteral(host)) return refuse('ip_address', 'Links must use a domain name, not an IP address.');
  if (host === 'localhost' || !host.includes('.') || LOCAL_SUFFIXES.some((s) => host.endsWith(s))) {
    return refuse('local_host', 'Links must point to a public domain.');
  }
  const domains = LINK_HOSTS[input.kind];
  if (domains && !domains.some((d) => host === d || host.endsWith(`.${d}`))) {
    return refuse('host_mismatch', `A ${input.kind} link must point to ${domains.join(' or ')}.`);
  }
  if (url.href.length > MAX_LINK_LENGTH) return refuse('too_long', `A link has at most ${MAX_LINK_LENGTH} characters.`);
  return { ok: true, link: { kind: input.kind, url: url.href } };
}

/** Same page regardless of scheme, 'www.', a trailing slash or a fragment. */
function sameTargetKey(href: string): string {
  const url = new URL(href);
  const host = url.hostname.replace(/\.$/, '').replace(/^www\./, '');
  return `${host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
}

export function validateLinks(list: readonly { kind: string; url: string }[]): LinkListCheck {
  if (list.length > MAX_LINKS) {
    return { ok: false, errors: [{ index: null, reason: 'too_many', message: `At most ${MAX_LINKS} links.` }] };
  }
  const errors: LinkListError[] = [];
  const links: ExternalLink[] = [];
  const seen = new Map<string, number>();
  for (const [index, input] of list.entries()) {
    const check = validateExternalLink(input);
    if (!check.ok) {
      errors.push({ index, reason: check.reason, message: check.message });
      continue;
    }
    const key = sameTargetKey(check.link.url);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ index, reason: 'duplicate', message: `Same link as #${first + 1}.` });
      continue;
    }
    seen.set(key, index);
    links.push(check.link);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, links };
}
