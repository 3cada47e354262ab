/**
 * Sign-in with OpenID Connect against a real provider (oidc-provider on loopback), walked over HTTP with a
 * cookie-keeping client: person → catalog User and Groups, sessions (rotation, expiry, server-side sign-out), CSRF,
 * open-redirect refusal, failed sign-ins, lazy discovery, and no secrets in the log.
 * Expected people and groups come from test/fixtures/auth/people.yaml (worked out by hand in its header).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../src/core/testing/databases.js';
import type { MeResponse } from '../../src/auth/index.js';
import { CookieClient, signIn } from './cookie-client.js';
import { CLIENT_ID, CLIENT_SECRET, startTestProvider, type TestProvider } from './provider.js';
import { startIdentityTarmac, type IdentityTarmac } from './start.js';

const ACCOUNTS = {
  jane: { email: 'jane.doe@example.com', name: 'Jane (from the provider)' },
  bob: { email: 'BOB@example.com', name: 'Bob' },
  nobody: { email: 'nobody@example.com', name: 'Nobody' },
};
const JANE_GROUPS = ['group:default/engineering', 'group:default/platform', 'group:default/team-a'];

describe.each(testEngines())('OIDC sign-in (%s)', (engine) => {
  let provider: TestProvider;
  let t: IdentityTarmac;
  const secrets: string[] = [CLIENT_SECRET];

  beforeAll(async () => {
    provider = await startTestProvider(ACCOUNTS);
    t = await startIdentityTarmac(engine, (c) => {
      c.auth.oidc = { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: ['openid', 'profile', 'email'], userMatch: 'email', allowInsecureIssuer: true };
      c.auth.rateLimits.signInPerMinute = 10_000; // these tests sign in many times from one IP
      c.auth.roles = [{ role: 'admin', members: ['user:default/carol'] }];
    });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  const me = async (client: CookieClient): Promise<MeResponse> => (await (await client.fetch(`${t.url}/api/auth/me`, { headers: { accept: 'application/json' } })).json()) as MeResponse;

  it('starts while the provider is not serving, fails sign-in clearly, then retries discovery once it is', async () => {
    const client = new CookieClient();
    const res = await client.fetch(`${t.url}/api/auth/login`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UPSTREAM_FAILED');
    expect(body.error.message).toContain(`cannot read the identity provider's configuration at ${provider.issuer}`);
    provider.configure([`${t.url}/api/auth/callback`]);
    const again = await client.fetch(`${t.url}/api/auth/login`);
    expect(again.status).toBe(302);
    const to = new URL(again.headers.get('location') ?? '');
    expect(to.origin).toBe(provider.issuer);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    for (const p of ['code_challenge', 'state', 'nonce']) expect(to.searchParams.get(p)?.length ?? 0).toBeGreaterThanOrEqual(22);
    expect(to.searchParams.get('redirect_uri')).toBe(`${t.url}/api/auth/callback`);
  });

  it('signs Jane in, lands on returnTo, and /me shows her name, email and transitive teams', async () => {
    const client = new CookieClient();
    const end = await signIn(client, t.url, 'jane', '/catalog?kind=component');
    expect(end.url).toBe(`${t.url}/catalog?kind=component`);
    const cookie = client.cookie(t.url, 'tarmac_session');
    expect(cookie).toMatch(/^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
    const body = await me(client);
    expect(body).toMatchObject({
      mode: 'oidc',
      authenticated: true,
      principal: { type: 'user', actor: 'user:default/jane', userRef: 'user:default/jane', displayName: 'Jane Doe', email: 'Jane.Doe@Example.com', groups: JANE_GROUPS },
    });
    expect(body.principal.roles.length).toBeGreaterThan(0);
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    secrets.push(cookie ?? '', (cookie ?? '').split('.')[1] ?? '', body.csrfToken ?? '');
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, with the configured lifetime, not Secure on http', async () => {
    const client = new CookieClient();
    await signIn(client, t.url, 'jane');
    const raw = client.setCookieLog.filter((c) => /^tarmac_session=[0-9a-f]{32}\./.test(c)).at(-1) ?? '';
    expect(raw).toMatch(/; Max-Age=43200/); // sessionTtlHours default 12 → 43 200 s
    expect(raw).toMatch(/; Path=\//);
    expect(raw).toMatch(/; HttpOnly/);
    expect(raw).toMatch(/; SameSite=Lax/);
    expect(raw).not.toMatch(/; Secure/);
  });

  it('rejects cookie writes without the CSRF header, accepts them with it; bearer tokens need none', async () => {
    const client = new CookieClient();
    await signIn(client, t.url, 'jane');
    const { csrfToken } = await me(client);
    const body = JSON.stringify({ name: 'ci', scopes: ['catalog.entity.read'] });
    const json = { 'content-type': 'application/json', accept: 'application/json' };
    const without = await client.fetch(`${t.url}/api/auth/tokens`, { method: 'POST', body, headers: json });
    expect(without.status).toBe(403);
    expect(((await without.json()) as { error: { message: string } }).error.message).toContain('x-csrf-token');
    const wrong = await client.fetch(`${t.url}/api/auth/tokens`, { method: 'POST', body, headers: { ...json, 'x-csrf-token': 'A'.repeat(43) } });
    expect(wrong.status).toBe(403);
    const ok = await client.fetch(`${t.url}/api/auth/tokens`, { method: 'POST', body, headers: { ...json, 'x-csrf-token': csrfToken ?? '' } });
    expect(ok.status).toBe(201);
    const created = (await ok.json()) as { id: string; token: string; userRef: string };
    expect(created.userRef).toBe('user:default/jane');
    secrets.push(created.token);
    const bearer = await fetch(`${t.url}/api/auth/me`, { headers: { authorization: `Bearer ${created.token}` } });
    expect(((await bearer.json()) as MeResponse).principal).toMatchObject({ type: 'token', actor: `token:${created.id}`, groups: JANE_GROUPS });
    // The token's scopes bind it even for its own revocation; the session (with the CSRF header) may revoke it.
    const bySelf = await fetch(`${t.url}/api/auth/tokens/${created.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${created.token}` } });
    expect(bySelf.status).toBe(403);
    const revoke = await client.fetch(`${t.url}/api/auth/tokens/${created.id}`, { method: 'DELETE', headers: { 'x-csrf-token': csrfToken ?? '' } });
    expect(revoke.status).toBe(204);
  });

  it('rotates the session on every sign-in: the earlier cookie stops working', async () => {
    const client = new CookieClient();
    await signIn(client, t.url, 'jane');
    const first = client.cookie(t.url, 'tarmac_session') ?? '';
    await signIn(client, t.url, 'jane');
    const second = client.cookie(t.url, 'tarmac_session') ?? '';
    expect(second).not.toBe(first);
    expect(second.split('.')[0]).not.toBe(first.split('.')[0]);
    expect((await me(client)).authenticated).toBe(true);
    const old = new CookieClient();
    old.setCookie(t.url, 'tarmac_session', first);
    expect((await me(old)).authenticated).toBe(false);
  });

  it('rejects an expired session', async () => {
    const client = new CookieClient();
    await signIn(client, t.url, 'jane');
    const id = (client.cookie(t.url, 'tarmac_session') ?? '').split('.')[0];
    expect((await me(client)).authenticated).toBe(true);
    await t.db.query(`UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect((await me(client)).authenticated).toBe(false);
  });

  it('signs out server-side: the cookie is cleared and a copy of it no longer works', async () => {
    const client = new CookieClient();
    await signIn(client, t.url, 'jane');
    const cookie = client.cookie(t.url, 'tarmac_session') ?? '';
    const { csrfToken } = await me(client);
    const out = await client.fetch(`${t.url}/api/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': csrfToken ?? '' } });
    expect(out.status).toBe(204);
    expect(client.cookie(t.url, 'tarmac_session')).toBeUndefined();
    const copy = new CookieClient();
    copy.setCookie(t.url, 'tarmac_session', cookie);
    expect(await me(copy)).toMatchObject({ mode: 'oidc', authenticated: false, principal: { type: 'anonymous', groups: [] } });
  });

  it('moves a sign-in started on another loopback name (localhost) to the base URL, so the cookie lands on the right host', async () => {
    const port = new URL(t.url).port;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.request(`${t.url}/api/auth/login?returnTo=%2Fx`, { headers: { host: `localhost:${port}` } }, resolve).on('error', reject).end();
    });
    res.resume();
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${t.url}/api/auth/login?returnTo=%2Fx`);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses open redirects in returnTo', async () => {
    for (const evil of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const res = await fetch(`${t.url}/api/auth/login?returnTo=${encodeURIComponent(evil)}`, { redirect: 'manual', headers: { accept: 'application/json' } });
      expect(res.status, evil).toBe(400);
    }
  });

  it('fails sign-in with a clear page when no catalog User has the email, and invents nobody', async () => {
    const client = new CookieClient();
    const end = await signIn(client, t.url, 'nobody');
    expect(end.status).toBe(401);
    expect(end.text).toContain('no catalog User has spec.profile.email &#34;nobody@example.com&#34;');
    expect(client.cookie(t.url, 'tarmac_session')).toBeUndefined();
    expect((await me(client)).authenticated).toBe(false);
  });

  it('fails a callback with a forged state or without a sign-in in progress', async () => {
    const client = new CookieClient();
    await client.fetch(`${t.url}/api/auth/login`); // pre-login session cookie, provider not visited
    const forged = await client.fetch(`${t.url}/api/auth/callback?code=abc&state=forged&iss=${encodeURIComponent(provider.issuer)}`);
    expect(forged.status).toBe(401);
    expect(await forged.text()).toContain('Sign-in failed');
    const none = await new CookieClient().fetch(`${t.url}/api/auth/callback?code=abc&state=x`, { headers: { accept: 'application/json' } });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { message: string } }).error.message).toContain('no sign-in in progress');
  });

  it('matches email case-insensitively (the provider says BOB@example.com) and follows a looping parent chain once', async () => {
    const client = new CookieClient();
    await signIn(client, t.url, 'bob');
    expect((await me(client)).principal).toMatchObject({ userRef: 'user:default/bob', groups: ['group:default/loop-a', 'group:default/loop-b'] });
  });

  it('audits sign-ins, failed sign-ins and sign-outs, with no secrets in them', async () => {
    const auditor = await t.auth.createToken({ userRef: 'user:default/carol', name: 'auditor', scopes: ['audit.read'], createdBy: 'user:default/carol' });
    secrets.push(auditor.token);
    const read = async (action: string) => {
      const res = await fetch(`${t.url}/api/audit/events?action=${action}&limit=200`, { headers: { authorization: `Bearer ${auditor.token}` } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: Array<{ actor: string; outcome: string; resource: string; summary: Record<string, unknown> }> }).items;
    };
    const signIns = await read('auth.signin');
    expect(signIns.some((e) => e.outcome === 'success' && e.actor === 'user:default/jane' && e.resource === 'user:default/jane')).toBe(true);
    expect(signIns.some((e) => e.outcome === 'failure' && e.actor === 'anonymous' && String(e.summary.reason).includes('nobody@example.com'))).toBe(true);
    expect(signIns.some((e) => e.outcome === 'failure' && String(e.summary.reason).includes('no sign-in in progress'))).toBe(true);
    expect((await read('auth.signout')).some((e) => e.outcome === 'success' && e.actor === 'user:default/jane')).toBe(true);
    const all = JSON.stringify([...signIns, ...(await read('token.*'))]);
    for (const s of secrets.filter((x) => x.length >= 20)) expect(all).not.toContain(s);
  });

  it('never writes session secrets, CSRF tokens, API tokens or the client secret to the log', () => {
    const log = t.logText();
    expect(log).toContain('signed in');
    for (const s of secrets.filter((x) => x.length >= 20)) expect(log).not.toContain(s);
  });
});
