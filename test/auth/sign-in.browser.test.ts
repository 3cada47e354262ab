/**
 * The whole sign-in in headless Chromium against a real OpenID provider (oidc-provider on loopback): go to
 * /api/auth/login, fill the provider's login form, consent, land back on Tarmac; /api/auth/me shows the name and
 * the transitive teams; sign out; the old cookie no longer works (the session ended server-side).
 * In the portal: the user menu shows the name and teams, its sign-out button ends the session, then sign-in shows.
 * Expected people and groups: test/fixtures/auth/people.yaml.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { testEngines } from '../../src/core/testing/databases.js';
import type { MeResponse } from '../../src/auth/index.js';
import { HAS_CHROMIUM, SKIP_REASON, launchBrowser, openPage, screenshot } from '../browser/harness.js';
import { CLIENT_ID, CLIENT_SECRET, startTestProvider, type TestProvider } from './provider.js';
import { startIdentityTarmac, type IdentityTarmac } from './start.js';

const JANE_GROUPS = ['group:default/engineering', 'group:default/platform', 'group:default/team-a'];

describe.skipIf(!HAS_CHROMIUM).each(testEngines().slice(0, 1))(`sign-in in Chromium (%s)${HAS_CHROMIUM ? '' : ` — ${SKIP_REASON}`}`, (engine) => {
  let provider: TestProvider;
  let t: IdentityTarmac;
  let browser: Browser;

  beforeAll(async () => {
    provider = await startTestProvider({ jane: { email: 'jane.doe@example.com', name: 'Jane' } });
    t = await startIdentityTarmac(engine, (c) => {
      c.auth.oidc = { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: ['openid', 'profile', 'email'], userMatch: 'email', allowInsecureIssuer: true };
    });
    provider.configure([`${t.url}/api/auth/callback`]);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider?.close();
  });

  it('signs in at the provider, shows name and teams, signs out server-side', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${t.url}/api/auth/login?returnTo=%2F`);
    await page.locator('input[name="login"]').fill('jane');
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    // First sign-in of this account with this client: the provider asks for consent.
    await page.waitForURL((u) => u.href.startsWith(t.url) || u.pathname.includes('/interaction/'));
    if (page.url().includes('/interaction/')) await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => u.href.startsWith(t.url));
    expect(new URL(page.url()).pathname).toBe('/');

    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json() as Promise<unknown>) as MeResponse;
    expect(me).toMatchObject({ mode: 'oidc', authenticated: true, principal: { userRef: 'user:default/jane', displayName: 'Jane Doe', groups: JANE_GROUPS } });
    const cookies = await page.context().cookies(t.url);
    const session = cookies.find((c) => c.name === 'tarmac_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });

    // Portal: the user menu shows the name and the transitive teams; its sign-out button ends the session.
    const userName = page.getByTestId('user-name').first();
    await userName.waitFor({ timeout: 15_000 });
    await expect.poll(() => userName.textContent()).toContain('Jane Doe');
    await expect.poll(() => page.getByTestId('user-teams').first().textContent()).toContain('team-a');
    await screenshot(page, 'auth-signed-in');
    await page.getByTestId('sign-out').first().click();
    await expect.poll(async () => (await page.context().cookies(t.url)).some((c) => c.name === 'tarmac_session')).toBe(false);
    const after = await page.evaluate(async () => (await fetch('/api/auth/me')).json() as Promise<unknown>) as MeResponse;
    expect(after.authenticated).toBe(false);
    await page.getByTestId('sign-in').first().waitFor({ timeout: 15_000 });
    await screenshot(page, 'auth-signed-out');

    // The session ended server-side: replaying the old cookie gets nobody.
    const replay = await fetch(`${t.url}/api/auth/me`, { headers: { cookie: `tarmac_session=${session?.value ?? ''}` } });
    expect(((await replay.json()) as MeResponse).authenticated).toBe(false);
  }, 120_000);
});
