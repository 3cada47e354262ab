import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config.js';
import { assertSafeAuthConfig, defaultBaseUrl, isLoopbackHost } from './mode.js';

describe('isLoopbackHost', () => {
  it('accepts loopback names and addresses, with or without a port', () => {
    for (const h of ['localhost', 'LOCALHOST:7007', 'app.localhost', '127.0.0.1', '127.1.2.3:80', '::1', '[::1]:7007', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
  });
  it('refuses every other interface and name', () => {
    for (const h of ['0.0.0.0', '::', '[::]:7007', '10.0.0.1', '128.0.0.1', 'tarmac.example.com', 'localhost.example.com', '', '192.168.1.5:7007']) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });
});

describe('assertSafeAuthConfig', () => {
  it('refuses single-user mode off loopback, allows it on loopback and allows any host with OIDC', () => {
    const c = defaultConfig();
    expect(() => assertSafeAuthConfig({ ...c, host: '127.0.0.1' })).not.toThrow();
    expect(() => assertSafeAuthConfig({ ...c, host: '0.0.0.0' })).toThrow(/single-user mode .* only listens on loopback, but host is "0.0.0.0"/);
    const oidc = { issuer: 'https://id.example.com', clientId: 'tarmac', scopes: ['openid'], userMatch: 'email' as const };
    expect(() => assertSafeAuthConfig({ ...c, host: '0.0.0.0', auth: { ...c.auth, oidc } })).not.toThrow();
  });
  it('names the listen address the way people type it', () => {
    expect(defaultBaseUrl('127.0.0.1', 7007)).toBe('http://localhost:7007');
    expect(defaultBaseUrl('::1', 80)).toBe('http://[::1]:80');
    expect(defaultBaseUrl('tarmac.internal', 8080)).toBe('http://tarmac.internal:8080');
  });
});
