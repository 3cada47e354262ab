import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { readError } from './types.js';

/**
 * Which hosts Tarmac may fetch from (`catalog.reading.allow`) and which addresses it refuses to connect to.
 *
 * Allow entries follow Backstage's `backend.reading.allow[].host` (packages/backend-defaults/src/entrypoints/
 * urlReader/lib/FetchUrlReader.ts): `example.com` matches that host on the scheme's default port only,
 * `example.com:8080` that port only, `*.example.com` any subdomain (not the apex). IPv6 is written `[::1]:8080`.
 *
 * On top of Backstage, Tarmac resolves DNS itself and denies loopback (127.0.0.0/8, ::1), private (10/8,
 * 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10) and unspecified (0.0.0.0/8, ::)
 * addresses unless the host is allowed by an exact (non-wildcard) entry, e.g. `127.0.0.1:3000` or
 * `localhost:3000`.
 */
export interface AllowEntry {
  /** Lowercase host without port; IPv6 in brackets. For wildcards, the suffix including the dot (`.example.com`). */
  host: string;
  wildcard: boolean;
  /** Port as written, '' for the scheme's default port. */
  port: string;
  /** The entry as written in config, for messages. */
  raw: string;
}

/** How a URL's host matched the allowlist. */
export type AllowMatch = 'exact' | 'wildcard';

/** One resolved, checked address to connect to. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Parses `catalog.reading.allow` entries.
 * @throws TarmacError BAD_REQUEST naming an entry that is not `host`, `*.host`, `host:port` or `[v6]:port`
 */
export function parseAllowList(allow: readonly string[]): AllowEntry[] {
  return allow.map((raw) => {
    const s = raw.trim().toLowerCase();
    const m = /^(\*\.)?(\[[0-9a-f:.]+\]|[a-z0-9_.-]+?)\.?(?::(\d{1,5}))?$/.exec(s);
    if (!m?.[2]) throw readError('BAD_REQUEST', `catalog.reading.allow entry "${raw}" is not host, *.host or host:port`);
    const wildcard = Boolean(m[1]);
    return { host: wildcard ? `.${m[2]}` : m[2], wildcard, port: m[3] ?? '', raw };
  });
}

/** Lowercase hostname of a URL with any trailing dot removed (IPv6 stays in brackets, as `URL.hostname`). */
function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/\.$/, '');
}

/** Returns how `url` is allowed, or undefined when no entry matches. Exact entries win over wildcards. */
export function matchAllowList(url: URL, entries: readonly AllowEntry[]): AllowMatch | undefined {
  const host = hostOf(url);
  let found: AllowMatch | undefined;
  for (const e of entries) {
    if (e.port !== url.port) continue;
    if (!e.wildcard && e.host === host) return 'exact';
    if (e.wildcard && host.endsWith(e.host)) found = 'wildcard';
  }
  return found;
}

const denied: Array<[string, BlockList]> = [];
function addRange(label: string, ranges: Array<[string, number, 'ipv4' | 'ipv6']>): void {
  const list = new BlockList();
  for (const [net, prefix, type] of ranges) list.addSubnet(net, prefix, type);
  denied.push([label, list]);
}
addRange('loopback', [
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
addRange('private', [
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
]);
addRange('link-local', [
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
addRange('unspecified', [
  ['0.0.0.0', 8, 'ipv4'],
  ['::', 128, 'ipv6'],
]);

/**
 * Classifies an IP address: `loopback`, `private`, `link-local` or `unspecified` when it is one Tarmac denies by
 * default, else undefined. IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address.
 */
export function restrictedRange(ip: string): string | undefined {
  const bare = ip.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  const addr = mapped?.[1] ?? bare;
  const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
  for (const [label, list] of denied) if (list.check(addr, type)) return label;
  return undefined;
}

/**
 * Checks a URL against the allowlist, resolves its host and picks the address to connect to.
 * With an exact allow entry any address is accepted; otherwise the first address outside the denied ranges.
 * @param setting config key named in messages (default `catalog.reading.allow`)
 * @throws TarmacError FORBIDDEN `host api.example.com is not in catalog.reading.allow`, or
 *   `host x resolves to 10.0.0.5 (private), which is denied unless x is listed exactly in catalog.reading.allow`
 * @throws TarmacError UPSTREAM_FAILED when DNS resolution fails
 */
export async function checkHost(
  url: URL,
  entries: readonly AllowEntry[],
  setting = 'catalog.reading.allow',
): Promise<CheckedAddress> {
  const match = matchAllowList(url, entries);
  const hostPort = url.host.toLowerCase();
  if (!match) throw readError('FORBIDDEN', `host ${hostPort} is not in ${setting}`);
  const host = hostOf(url).replace(/^\[|\]$/g, '');
  let addresses: CheckedAddress[];
  const literal = isIP(host);
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      const found = await lookup(host, { all: true, verbatim: true });
      addresses = found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw readError('UPSTREAM_FAILED', `cannot resolve host ${host}: ${code}`, err);
    }
  }
  const first = addresses[0];
  if (!first) throw readError('UPSTREAM_FAILED', `cannot resolve host ${host}: no address`);
  if (match === 'exact') return first;
  const ok = addresses.find((a) => !restrictedRange(a.address));
  if (ok) return ok;
  throw readError(
    'FORBIDDEN',
    `host ${hostPort} resolves to ${first.address} (${restrictedRange(first.address) ?? 'denied'}), which is denied ` +
      `unless ${hostPort} is listed exactly in ${setting}`,
  );
}
