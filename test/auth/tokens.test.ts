/**
 * API tokens over HTTP, in OIDC mode (the issuer is never contacted: discovery is lazy): a token acts for its User
 * with its scopes, is shown once and stored only as a hash, expires, is revoked by its owner (not by others), never
 * gets scopes its creator lacks, and never appears in the log. People come from test/fixtures/auth/people.yaml.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../src/core/testing/databases.js';
import type { CreatedToken, MeResponse, TokenInfo } from '../../src/auth/index.js';
import { startIdentityTarmac, type IdentityTarmac } from './start.js';

interface Answer<T> {
  status: number;
  body: T;
}

describe.each(testEngines())('API tokens (%s)', (engine) => {
  let t: IdentityTarmac;
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await startIdentityTarmac(engine, (c) => {
      c.auth.oidc = { issuer: 'http://127.0.0.1:9', clientId: 'tarmac', scopes: ['openid'], userMatch: 'email' };
    });
  }, 120_000);
  afterAll(() => t?.close());

  const call = async <T>(path: string, token: string | undefined, init: { method?: string; body?: unknown } = {}): Promise<Answer<T>> => {
    const res = await fetch(`${t.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const make = async (userRef: string, scopes: string[], extra: { ownedOnly?: boolean } = {}): Promise<CreatedToken> => {
    const created = await t.auth.createToken({ userRef, name: `${userRef} ${scopes.join(',')}`, scopes, createdBy: userRef, ...extra });
    secrets.push(created.token, created.token.slice(21));
    return created;
  };

  it('a token acts for its User: ownership refs, groups and scopes on /me; token.create returns it once', async () => {
    const jane = await make('User:default/Jane', ['catalog.entity.read', 'token.*']);
    expect(jane.token).toMatch(/^tmk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(jane.token.startsWith(`tmk_${jane.id}_`)).toBe(true);
    const me = await call<MeResponse>('/api/auth/me', jane.token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      mode: 'oidc',
      authenticated: true,
      principal: {
        type: 'token', actor: `token:${jane.id}`, userRef: 'user:default/jane', displayName: 'Jane Doe',
        groups: ['group:default/engineering', 'group:default/platform', 'group:default/team-a'],
        scopes: ['catalog.entity.read', 'token.*'],
      },
    });
    expect(me.body.csrfToken).toBeUndefined();
    const rows = await t.db.query<Record<string, unknown>>('SELECT * FROM auth_tokens WHERE id = $1', [jane.id]);
    expect(JSON.stringify(rows)).not.toContain(jane.token.slice(21));
  });

  it('answers the same 401 for malformed, unknown, wrong-secret, expired and revoked tokens', async () => {
    const good = await make('user:default/jane', ['catalog.entity.read']);
    const expired = await make('user:default/jane', ['catalog.entity.read']);
    await t.db.query(`UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    const revoked = await make('user:default/jane', ['catalog.entity.read']);
    expect(await t.auth.revokeToken(revoked.id)).toBe(true);
    const wrongSecret = `${good.token.slice(0, 21)}${'A'.repeat(43)}`;
    const unknown = `tmk_0123456789abcdef_${good.token.slice(21)}`;
    for (const bad of ['nonsense', unknown, wrongSecret, expired.token, revoked.token]) {
      const res = await call<{ error: { code: string; message: string } }>('/api/auth/me', bad);
      expect(res.status, bad.slice(0, 25)).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'invalid or expired API token' });
    }
    expect((await call('/api/auth/me', good.token)).status).toBe(200);
  });

  it('lists own tokens without secrets and with last-used time; admins are not needed for that', async () => {
    const carol = await make('user:default/carol', ['token.read']);
    await call('/api/auth/me', carol.token);
    await new Promise((r) => setTimeout(r, 100)); // last_used_at is written without holding up the request
    const list = await call<{ items: TokenInfo[] }>('/api/auth/tokens', carol.token);
    expect(list.status).toBe(200);
    const mine = list.body.items.filter((i) => i.userRef === 'user:default/carol');
    expect(mine.map((i) => i.id)).toContain(carol.id);
    expect(list.body.items.every((i) => i.userRef === 'user:default/carol')).toBe(true);
    const item = mine.find((i) => i.id === carol.id);
    expect(item?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toMatch(/tmk_|secret/i);
  });

  it('a token never gets scopes its creator lacks, and inherits owned-only', async () => {
    const creator = await make('user:default/jane', ['token.create', 'catalog.entity.read'], { ownedOnly: true });
    const beyond = await call<{ error: { code: string; message: string } }>('/api/auth/tokens', creator.token, { body: { name: 'x', scopes: ['template.run'] } });
    expect(beyond.status).toBe(403);
    expect(beyond.body.error.message).toContain('template.run');
    const wider = await call('/api/auth/tokens', creator.token, { body: { name: 'x', scopes: ['catalog.*'] } });
    expect(wider.status).toBe(403);
    const ok = await call<CreatedToken>('/api/auth/tokens', creator.token, { body: { name: 'narrower', scopes: ['catalog.entity.read'], expiresInDays: 7 } });
    expect(ok.status).toBe(201);
    secrets.push(ok.body.token);
    expect(ok.body).toMatchObject({ userRef: 'user:default/jane', scopes: ['catalog.entity.read'], ownedOnly: true, createdBy: `token:${creator.id}` });
    const days = (Date.parse(ok.body.expiresAt) - Date.parse(ok.body.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);
    const tooLong = await call('/api/auth/tokens', creator.token, { body: { name: 'x', scopes: ['catalog.entity.read'], expiresInDays: 366 } });
    expect(tooLong.status).toBe(400);
  });

  it('only the owner (or an admin) revokes; a revoked token stops working at once', async () => {
    const jane = await make('user:default/jane', ['token.*', 'catalog.entity.read']);
    const carol = await make('user:default/carol', ['token.*']);
    const other = await call<{ error: { code: string } }>(`/api/auth/tokens/${jane.id}`, carol.token, { method: 'DELETE' });
    expect(other.status).toBe(403);
    expect((await call('/api/auth/me', jane.token)).status).toBe(200);
    expect((await call(`/api/auth/tokens/${jane.id}`, jane.token, { method: 'DELETE' })).status).toBe(204);
    expect((await call('/api/auth/me', jane.token)).status).toBe(401);
    expect((await call('/api/auth/tokens/ffffffffffffffff', carol.token, { method: 'DELETE' })).status).toBe(404);
  });

  it('without credentials /me is anonymous and token creation is refused', async () => {
    const me = await call<MeResponse>('/api/auth/me', undefined);
    expect(me.body).toMatchObject({ mode: 'oidc', authenticated: false, principal: { type: 'anonymous', roles: [], groups: [] } });
    const create = await call('/api/auth/tokens', undefined, { body: { name: 'x', scopes: ['catalog.entity.read'] } });
    expect([401, 403]).toContain(create.status);
  });

  it('never writes token strings or secrets to the log', () => {
    const log = t.logText();
    expect(log.length).toBeGreaterThan(0);
    for (const s of secrets) expect(log).not.toContain(s);
  });
});
