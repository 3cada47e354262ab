/**
 * `userMatch: username`: the provider's `preferred_username` names the catalog User's `metadata.name`; a provider
 * account with no such User cannot sign in. People from test/fixtures/auth/people.yaml.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../src/core/testing/databases.js';
import type { MeResponse } from '../../src/auth/index.js';
import { CookieClient, signIn } from './cookie-client.js';
import { CLIENT_ID, CLIENT_SECRET, startTestProvider, type TestProvider } from './provider.js';
import { startIdentityTarmac, type IdentityTarmac } from './start.js';

describe.each(testEngines())('OIDC sign-in by username (%s)', (engine) => {
  let provider: TestProvider;
  let t: IdentityTarmac;

  beforeAll(async () => {
    // Emails deliberately unlike the catalog's: only the login name may match.
    provider = await startTestProvider({ carol: { email: 'c@elsewhere.example', name: 'C' }, dave: { email: 'd@elsewhere.example', name: 'D' } });
    t = await startIdentityTarmac(engine, (c) => {
      c.auth.oidc = { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: ['openid', 'profile'], userMatch: 'username', allowInsecureIssuer: true };
    });
    provider.configure([`${t.url}/api/auth/callback`]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it('signs carol in by preferred_username; her display name falls back to the User name; no groups', async () => {
    const client = new CookieClient();
    const end = await signIn(client, t.url, 'carol', '/');
    expect(end.url).toBe(`${t.url}/`);
    const me = (await (await client.fetch(`${t.url}/api/auth/me`, { headers: { accept: 'application/json' } })).json()) as MeResponse;
    expect(me.principal).toMatchObject({ type: 'user', userRef: 'user:default/carol', displayName: 'carol', groups: [], email: 'carol@example.com' });
  });

  it('refuses dave, who has no catalog User', async () => {
    const end = await signIn(new CookieClient(), t.url, 'dave');
    expect(end.status).toBe(401);
    expect(end.text).toContain('no catalog User has metadata.name &#34;dave&#34;');
  });
});
