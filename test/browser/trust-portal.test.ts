// Sign-in state, API tokens and the audit log in the portal, in headless Chromium, against a Tarmac in single-user
// mode (startTestTarmac's default config: no OIDC provider, loopback only, the local principal is admin).
// Expected values come from the spec (issue 4 and docs/auth.md): single-user mode shows the banner and the local
// principal (display name "Local user", src/auth/identity/authenticate.ts); creating a token shows its secret once (prefix-free check: non-empty, not in the list afterwards) and
// appends a `token.create` audit event by actor `local`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, SKIP_REASON, screenshot } from './harness.js';
import { startPortal, unexpectedProblems, type PortalSession } from './app-portal.js';
import { ACME_YAML } from './harness.js';

describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? 'portal: sign-in state, tokens, audit' : `portal: sign-in state, tokens, audit (${SKIP_REASON})`, () => {
  let s: PortalSession;

  beforeAll(async () => {
    s = await startPortal([{ type: 'file', target: ACME_YAML }]);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('shows the single-user banner and the local principal, with no sign-in or sign-out', async () => {
    const { page } = s;
    await page.goto(s.tarmac.url);
    const banner = page.getByTestId('single-user-banner');
    await expect.poll(() => banner.textContent()).toContain('Single-user mode — no sign-in; anyone who can reach this machine is admin');
    await expect.poll(() => page.getByTestId('user-name').textContent()).toBe('Local user');
    expect(await page.getByTestId('sign-in').count()).toBe(0);
    expect(await page.getByTestId('sign-out').count()).toBe(0);
    // Single-user mode is admin: the Audit entry is in the navigation.
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(1);
    await screenshot(page, 'single-user-banner');
  });

  it('creates a token, shows it once, lists it, and revokes it', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings\/tokens$/);
    await expect.poll(() => page.locator('.state-empty').first().textContent()).toBe('No tokens yet.');
    await page.getByLabel('Name').fill('ci-deploy');
    await page.getByLabel('Expires in').selectOption('90');
    await page.locator('label', { hasText: 'catalog.entity.read' }).locator('input').check();
    await page.locator('label', { hasText: 'template.run' }).locator('input').check();
    await page.getByRole('button', { name: 'Create token' }).click();

    const shown = page.getByTestId('new-token');
    await expect.poll(() => shown.textContent()).toContain('Copy it now');
    const secret = await page.getByTestId('new-token-value').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    const row = page.locator('[data-testid=tokens] tbody tr[data-token="ci-deploy"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td').nth(1).textContent()).toBe('catalog.entity.read, template.run');
    expect(await row.getByTestId('last-used').textContent()).toBe('never');
    await screenshot(page, 'tokens-created');

    // Shown once: after "Done" and a reload the secret is nowhere on the page.
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    await expect.poll(() => row.count()).toBe(1);
    expect(await page.content()).not.toContain(secret);

    // The token works for a scoped read, and its last use then shows.
    const res = await fetch(`${s.tarmac.url}/api/catalog/entities/by-query?limit=1`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    await page.reload();
    await expect.poll(() => row.getByTestId('last-used').textContent()).not.toBe('never');

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.locator('.badge').last().textContent()).toBe('revoked');
  });

  it('audit page lists the token events, verifies the chain and offers the export', async () => {
    const { page } = s;
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(/\/audit$/);
    const rows = page.locator('[data-testid=audit-events] tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const created = page.locator('[data-testid=audit-events] tbody tr[data-action="token.create"]');
    expect(await created.count()).toBe(1);
    expect(await created.locator('td').nth(2).textContent()).toBe('local');
    expect(await page.locator('[data-testid=audit-events] tbody tr[data-action="token.revoke"]').count()).toBe(1);

    await page.getByLabel('Action').fill('token.revoke');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-action')).toBe('token.revoke');

    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toMatch(/^✓ Chain intact: \d+ events? checked\.$/);
    expect(await page.getByTestId('audit-export').getAttribute('href')).toBe('/api/audit/export');
    await screenshot(page, 'audit');
  });

  it('logged no unexpected browser errors', () => {
    expect(unexpectedProblems(s.problems)).toEqual([]);
  });
});
