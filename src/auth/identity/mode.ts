import { isIP } from 'node:net';
import type { TarmacConfig } from '../../core/config.js';
import { TarmacError } from '../../core/errors.js';

/** `oidc` when a provider is configured, else `single-user` (local development only). */
export type AuthMode = 'oidc' | 'single-user';

/** The mode a config runs in: single-user exactly when `auth.oidc` is absent. */
export function authMode(config: TarmacConfig): AuthMode {
  return config.auth.oidc ? 'oidc' : 'single-user';
}

/**
 * True for loopback names and addresses: `localhost` (and `*.localhost`, RFC 6761), 127.0.0.0/8, `::1`, and
 * IPv4-mapped `::ffff:127.x.y.z`. Brackets and a port (`[::1]:7007`, `localhost:7007`) are accepted.
 */
export function isLoopbackHost(hostWithPort: string): boolean {
  let host = hostWithPort.trim().toLowerCase();
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']') === -1 ? undefined : host.indexOf(']'));
  else if (host.split(':').length === 2) host = host.slice(0, host.indexOf(':'));
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^(0+:){7}0*1$/.test(host) || /^::ffff:127\./.test(host);
  return false;
}

/**
 * Refuses single-user mode (no sign-in, everyone is admin) on anything but loopback (issue "Trust", Identity).
 * Call before opening anything.
 * @throws TarmacError CONFIG_INVALID when `auth.oidc` is absent and `host` is not a loopback address
 */
export function assertSafeAuthConfig(config: TarmacConfig): void {
  if (authMode(config) === 'single-user' && !isLoopbackHost(config.host)) {
    throw new TarmacError(
      'CONFIG_INVALID',
      `single-user mode (no auth.oidc configured) only listens on loopback, but host is "${config.host}": ` +
        'configure auth.oidc (see docs/auth.md) or listen on 127.0.0.1',
    );
  }
}

/** The URL people reach Tarmac at when `baseUrl` is not configured: `http://<host>:<port>`, `localhost` for 127.0.0.1. */
export function defaultBaseUrl(host: string, port: number): string {
  const name = host === '127.0.0.1' || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}
