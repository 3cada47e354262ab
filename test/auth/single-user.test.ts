/**
 * Single-user mode (no `auth.oidc`): every local request is the admin `local` principal, with a warning in the log;
 * it refuses to start off loopback, ignores requests addressed to other host names (DNS rebinding) and refuses
 * cross-site writes. API tokens still work (for the CLI) and act with the token's scopes.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarmac } from '../../src/app.js';
import { defaultConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { testEngines } from '../../src/core/testing/databases.js';
import type { CreatedToken, MeResponse } from '../../src/auth/index.js';
import { startIdentityTarmac, type IdentityTarmac } from './start.js';

describe('single-user mode off loopback', () => {
  it('refuses to start on 0.0.0.0, ::, or a LAN address, naming the fix', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      await expect(startTarmac({ ...defaultConfig(), host, port: 0 }, { logger: silentLogger(), listen: false })).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(`only listens on loopback, but host is "${host}"`),
      });
    }
  });
});

describe.each(testEngines())('single-user mode (%s)', (engine) => {
  let t: IdentityTarmac;
  beforeAll(async () => {
    t = await startIdentityTarmac(engine);
  }, 120_000);
  afterAll(() => t?.close());

  /** A request with a chosen Host header (fetch does not allow setting it). */
  const rawGet = (path: string, host: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = http.request(`${t.url}${path}`, { headers: { host } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('warns in the log and makes every local request the admin local principal', async () => {
    expect(t.logText()).toContain('single-user mode: no sign-in, everyone on this machine is admin');
    const me = (await (await fetch(`${t.url}/api/auth/me`)).json()) as MeResponse;
    expect(me).toEqual({
      mode: 'single-user',
      authenticated: true,
      principal: { type: 'local', actor: 'local', displayName: 'Local user', roles: ['admin'], groups: [] },
    });
  });

  it('treats requests addressed to a non-loopback host name as anonymous (DNS rebinding)', async () => {
    const port = new URL(t.url).port;
    const rebound = await rawGet('/api/auth/me', `evil.example:${port}`);
    expect(JSON.parse(rebound.body)).toMatchObject({ authenticated: false, principal: { type: 'anonymous' } });
    const local = await rawGet('/api/auth/me', `localhost:${port}`);
    expect(JSON.parse(local.body)).toMatchObject({ authenticated: true, principal: { type: 'local' } });
  });

  it('refuses cross-site writes, accepts same-origin ones; the token made acts as admin within its scopes', async () => {
    const body = JSON.stringify({ name: 'cli', scopes: ['catalog.*', 'token.read'] });
    const json = { 'content-type': 'application/json' };
    const crossOrigin = await fetch(`${t.url}/api/auth/tokens`, { method: 'POST', body, headers: { ...json, origin: 'http://evil.example' } });
    expect(crossOrigin.status).toBe(403);
    const fetchMeta = await fetch(`${t.url}/api/auth/tokens`, { method: 'POST', body, headers: { ...json, 'sec-fetch-site': 'cross-site' } });
    expect(fetchMeta.status).toBe(403);
    const same = await fetch(`${t.url}/api/auth/tokens`, { method: 'POST', body, headers: { ...json, origin: t.url } });
    expect(same.status, await same.clone().text()).toBe(201);
    const created = (await same.json()) as CreatedToken;
    expect(created).toMatchObject({ createdBy: 'local', userRef: null, scopes: ['catalog.*', 'token.read'] });
    const me = (await (await fetch(`${t.url}/api/auth/me`, { headers: { authorization: `Bearer ${created.token}` } })).json()) as MeResponse;
    expect(me.principal).toMatchObject({ type: 'token', actor: `token:${created.id}`, roles: ['admin'], scopes: ['catalog.*', 'token.read'] });
    expect(t.logText()).not.toContain(created.token.slice(21));
  });

  it('sign-in routes do nothing harmful: /login goes straight to returnTo', async () => {
    const res = await fetch(`${t.url}/api/auth/login?returnTo=%2Fcatalog`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/catalog');
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});
