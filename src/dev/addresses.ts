/** Pure parsing of the service addresses found in the environment (no I/O, unit-tested). */

export interface HostPort {
  host: string;
  port: number;
}

/** `host:port`, `[::1]:port` or a bare host, as in TEMPORAL_ADDRESS. */
export function parseHostPort(address: string, defaultPort: number): HostPort {
  const trimmed = address.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) return { host: bracketed[1] ?? '', port: portOf(bracketed[2], defaultPort, address) };
  const parts = trimmed.split(':');
  if (parts.length > 2) return { host: trimmed, port: defaultPort }; // a bare IPv6 address
  const [host = '', port] = parts;
  if (host === '') throw new Error(`No host in address "${address}"`);
  return { host, port: portOf(port, defaultPort, address) };
}

/**
 * The first host of a `mongodb://` or `redis://` URL. Hand-parsed because WHATWG URL rejects
 * MongoDB seed lists (`mongodb://a:1,b:2/db`); credentials, path and query are skipped.
 */
export function hostPortOfUrl(url: string, defaultPort: number): HostPort {
  const afterScheme = /^[a-z][a-z0-9+.-]*:\/\/(.*)$/i.exec(url.trim())?.[1];
  if (afterScheme === undefined) throw new Error(`Not a URL: "${url}"`);
  const authority = afterScheme.split(/[/?#]/, 1)[0] ?? '';
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  return parseHostPort(hosts.split(',')[0] ?? '', defaultPort);
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Only a loopback address is one this machine can start a missing service on. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function portOf(text: string | undefined, defaultPort: number, address: string): number {
  if (text === undefined || text === '') return defaultPort;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Bad port in address "${address}"`);
  return port;
}
