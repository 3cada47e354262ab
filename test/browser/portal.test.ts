// The portal in headless Chromium against a Tarmac holding the Backstage example catalog (all.yaml + acme-corp.yaml).
// Expected values are worked out from ../shared/README.md and the YAML files, never from Tarmac's output:
// - kinds: Component 13, API 10, Group 8, User 17, Location 8 (6 from all.yaml, 2 from acme-corp.yaml), System 3,
//   Domain 3, Resource 1 → 63 entities; every relation resolves inside the folder → 0 unresolved.
// - spec.owner "team-a": components artist-lookup, wayback-archive, wayback-archive-storage, wayback-search,
//   www-artist; APIs backstage-mcp-server, spotify, wayback-archive, wayback-search; domain artists; resource
//   artists-db; system artist-engagement-portal → 12 owned, 5 of them Components.
// - acme/team-a-group.yaml: members breanna.davison, janelle.dawe, nigel.manning, guest, development/guest;
//   no group has parent team-a.
// - apis/spotify-api.yaml, wayback-archive-api.yaml, wayback-search-api.yaml: `$text` on remote https URLs,
//   not allowed here → one placeholder error each, all in the all.yaml location.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { HAS_CHROMIUM, SKIP_REASON, launchBrowser, openPage, screenshot, startPortalServer, type PortalServer } from './harness.js';
import { unexpectedProblems } from './app-portal.js';

const texts = async (l: Locator) => (await l.allTextContents()).map((t) => t.trim());
const names = (scope: Page | Locator) => texts(scope.locator('.cell-name > a'));

describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? 'portal in headless Chromium' : `portal in headless Chromium (${SKIP_REASON})`, () => {
  let server: PortalServer;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startPortalServer(), launchBrowser()]);
    ({ page, problems } = await openPage(browser));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('home shows the counts by kind, totals and errors', async () => {
    await page.goto(server.url);
    const count = (kind: string) => page.locator(`.kind-card[data-kind="${kind}"] .kind-count`).textContent();
    await expect.poll(() => count('Component')).toBe('13');
    const expected = { API: '10', Group: '8', User: '17', Location: '8', System: '3', Domain: '3', Resource: '1' };
    for (const [kind, n] of Object.entries(expected)) expect(await count(kind), kind).toBe(n);
    expect(await page.locator('[data-testid=stat-total] .stat-value').textContent()).toBe('63');
    expect(await page.locator('[data-testid=stat-errors] .stat-value').textContent()).toBe('3');
    expect(await page.locator('[data-testid=stat-locations] .stat-value').textContent()).toBe('2');
    expect(await page.locator('[data-testid=stat-unresolved] .stat-value').textContent()).toBe('0');
    await screenshot(page, 'home');
  });

  it('catalog filters by kind and owner, keeps filters in the URL, and pages', async () => {
    await page.locator('.kind-card[data-kind="Component"]').click();
    await page.waitForURL(/\/catalog\?kind=component$/);
    const total = page.getByTestId('total-items');
    await expect.poll(() => total.textContent()).toBe('13 entities');
    expect(await names(page)).toHaveLength(13);

    const owner = page.getByLabel('Owner', { exact: true });
    await owner.fill('team-a');
    await owner.press('Enter');
    await page.waitForURL(/owner=team-a/);
    await expect.poll(() => total.textContent()).toBe('5 entities');
    expect(await names(page)).toEqual(['artist-lookup', 'wayback-archive', 'wayback-archive-storage', 'wayback-search', 'www-artist']);
    await screenshot(page, 'catalog-filtered');

    await page.getByLabel('Kind', { exact: true }).selectOption('');
    await expect.poll(() => total.textContent()).toBe('12 entities');
    await page.reload(); // the URL alone restores the view
    await expect.poll(() => total.textContent()).toBe('12 entities');

    await page.getByRole('button', { name: 'Clear all filters' }).click();
    await expect.poll(() => total.textContent()).toBe('63 entities');
    expect(await names(page)).toHaveLength(50);
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(async () => (await names(page)).length).toBe(13);
    await expect.poll(() => page.locator('.pager-label').first().textContent()).toBe('Page 2');
    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(async () => (await names(page)).length).toBe(50);
    await screenshot(page, 'catalog');
  });

  it('search finds artist-lookup, in the catalog table and in ranked search', async () => {
    await page.getByLabel('Filter by text').fill('artist-lookup');
    await page.waitForURL(/q=artist-lookup/);
    await expect.poll(() => names(page)).toContain('artist-lookup');

    await page.getByLabel('Search the catalog').fill('artist lookup');
    await page.getByLabel('Search the catalog').press('Enter');
    await page.waitForURL(/\/search\?q=artist/);
    await expect.poll(() => texts(page.locator('.hit-title > a'))).toContain('artist-lookup');
    await screenshot(page, 'search');
  });

  it('entity page of artist-lookup shows owner, system, relations, links and source', async () => {
    await page.locator('.hit-title > a', { hasText: /^artist-lookup$/ }).click();
    await page.waitForURL(/\/catalog\/default\/component\/artist-lookup$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('artist-lookup');
    const fact = (label: string) => page.locator(`[data-fact="${label}"] dd a`);
    expect(await fact('Owner').textContent()).toBe('team-a');
    expect(await fact('Owner').getAttribute('href')).toBe('/catalog/default/group/team-a');
    expect(await fact('System').textContent()).toBe('artist-engagement-portal');
    const related = (type: string) => texts(page.locator(`[data-relation="${type}"] li a`));
    await expect.poll(() => related('ownedBy')).toEqual(['team-a']);
    expect(await related('partOf')).toEqual(['artist-engagement-portal']);
    expect(await related('dependsOn')).toEqual(['artists-db']);
    expect(await page.locator('.relation-group').count()).toBe(3);
    expect(await page.locator('.links li').count()).toBe(7);
    await expect.poll(() => page.locator('#source pre').textContent()).toContain('name: artist-lookup');
    expect(await page.locator('#errors').count()).toBe(0);
    await screenshot(page, 'entity-component');
  });

  it('group page of team-a lists its members, sub-groups and what it owns', async () => {
    await page.locator('[data-fact="Owner"] dd a').click();
    await page.waitForURL(/\/catalog\/default\/group\/team-a$/);
    const members = async () => (await names(page.locator('#members'))).sort();
    await expect.poll(members).toEqual(['breanna.davison', 'development/guest', 'guest', 'janelle.dawe', 'nigel.manning']);
    expect(await page.locator('#subgroups .state-empty').textContent()).toBe('This group has no sub-groups.');
    await expect.poll(async () => (await names(page.locator('#owns'))).length).toBe(12);
    await screenshot(page, 'entity-group');
  });

  it('locations page lists both locations and the three placeholder errors', async () => {
    await page.getByRole('link', { name: 'Locations & errors' }).click();
    await page.waitForURL(/\/locations$/);
    const rows = page.locator('.table-locations tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const targets = await texts(page.locator('.table-locations .target-name'));
    expect(targets.sort()).toEqual(['acme-corp.yaml', 'all.yaml']);
    const errorRows = page.locator('.table-errors tbody tr');
    await expect.poll(() => errorRows.count()).toBe(3);
    expect((await texts(page.locator('.table-errors tbody td:nth-child(3)'))).sort()).toEqual(['api:spotify', 'api:wayback-archive', 'api:wayback-search']);
    await screenshot(page, 'locations');

    // Re-reading acme-corp.yaml (27 entities, nothing changed on disk) reports them all unchanged.
    const acme = rows.filter({ hasText: 'acme-corp.yaml' });
    await acme.getByRole('button', { name: /^Refresh/ }).click();
    await expect.poll(() => acme.locator('.muted.small').last().textContent()).toBe('Refresh queued');
    await expect.poll(() => acme.getByTestId('last-summary').textContent()).toMatch(/^27 unchanged · /);

    await page.getByRole('link', { name: 'api:spotify' }).click();
    await page.waitForURL(/\/catalog\/default\/api\/spotify$/);
    await expect.poll(() => page.locator('#errors .table-errors tbody tr').count()).toBe(1);
    expect(await page.locator('#definition details').getAttribute('open')).toBeNull();
    await screenshot(page, 'entity-api-with-error');
  });

  it('shows clear error and empty states', async () => {
    await page.goto(`${server.url}/catalog/default/component/no-such-thing`);
    await expect.poll(() => page.locator('.state-error strong').textContent()).toBe('Entity not found');
    await screenshot(page, 'entity-not-found');

    await page.goto(`${server.url}/catalog?q=zzz-nothing-matches`);
    await expect.poll(() => page.locator('.state-empty').textContent()).toBe('No entities match these filters.');

    await page.route('**/api/**', (route) => route.abort());
    await page.goto(`${server.url}/`);
    await expect.poll(() => page.locator('.state-error strong').textContent()).toBe('Tarmac API unreachable');
    await screenshot(page, 'api-down');
    await page.unroute('**/api/**');
  });

  it('deep links work for every entity page, including names with dots', async () => {
    const res = await page.goto(`${server.url}/catalog/default/user/breanna.davison`);
    expect(res?.status(), 'the server must answer index.html (SPA fallback) for a path whose last segment has a dot').toBe(200);
    await expect.poll(() => page.locator('h1').textContent()).toBe('breanna.davison');
  });

  it('logged no unexpected browser errors', () => {
    // Expected: the 404 of the missing entity and the aborted requests of the "API down" check.
    expect(unexpectedProblems(problems)).toEqual([]);
  });
});
