// Golden paths in the portal, in headless Chromium: the template list, the rjsf form with Tarmac's pickers, field
// errors, the dry-run preview, a real run to completion (publish:git + catalog:register) and the component's
// golden-path card. Expected values are worked out from test/browser/fixtures/portal-template/:
// - the card: title "Portal test service", type "service", owner group:default/team-a (shown "team-a"), tags test,
//   nodejs; the form has two pages ("Service", "Repository") then "Review";
// - name "Bad_Name" breaks the name pattern ^[a-z][a-z0-9-]{1,30}$ → an error on the Name field;
// - rendering with name my-svc, port 8080 and the default description gives three files: README.md,
//   catalog-info.yaml, src/index.js; README.md is "# my-svc\n\nA test service. Listens on port 8080.\n";
// - the run has steps fetch, publish, register, all completed; the output link "Repository" is the clone URL
//   <base>/git/team-a/my-svc.git; the registered entity is component:default/my-svc.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ACME_YAML, HAS_CHROMIUM, SKIP_REASON, screenshot } from './harness.js';
import { PORTAL_TEMPLATE, startPortal, unexpectedProblems, type PortalSession } from './app-portal.js';

/** Fills the first form page and goes on. */
async function fillServicePage(page: Page, name: string) {
  await page.getByLabel(/^Name\*?$/).fill(name);
  await page.getByLabel(/^Owner\*?$/).fill('group:default/team-a');
  await page.getByTestId('next').click();
}

/** Fills the repository page (host localhost, owner team-a, repo `repo`) and goes to the review. */
async function fillRepoPage(page: Page, repo: string) {
  await page.getByLabel('Owner', { exact: true }).fill('team-a');
  await page.getByLabel('Repository', { exact: true }).fill(repo);
  await page.getByTestId('next').click();
  await page.getByTestId('review').waitFor();
}

describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? 'portal: golden paths' : `portal: golden paths (${SKIP_REASON})`, () => {
  let s: PortalSession;
  let page: Page;

  beforeAll(async () => {
    s = await startPortal([
      { type: 'file', target: ACME_YAML },
      { type: 'file', target: PORTAL_TEMPLATE },
    ]);
    page = s.page;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the Create page lists the fixture template as a card', async () => {
    await page.goto(s.tarmac.url);
    await page.getByRole('link', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/create$/);
    const card = page.locator('.template-card[data-template="portal-service"]');
    await expect.poll(() => card.locator('.template-title').textContent()).toBe('Portal test service');
    expect(await card.locator('.template-desc').textContent()).toBe("A tiny HTTP service, used by the portal's browser tests.");
    expect(await card.locator('.badge').first().textContent()).toBe('service');
    expect(await card.locator('dd a').textContent()).toBe('team-a');
    expect(await card.locator('.tag').allTextContents()).toEqual(['test', 'nodejs']);
    await screenshot(page, 'create-templates');
    await card.getByRole('link', { name: 'Choose' }).click();
    await page.waitForURL(/\/create\/default\/portal-service$/);
  });

  it('the form has the two pages, a conditional field, and shows a field error for a bad name', async () => {
    await expect.poll(() => page.locator('.stepper li').allTextContents()).toEqual(['1 Service', '2 Repository', '3 Review']);
    expect(await page.getByLabel('Port').inputValue()).toBe('8080');
    expect(await page.locator('.help-block').first().textContent()).toContain('Lowercase letters, digits and dashes');
    // A picker (ui:field) shows its schema description like any other field.
    expect(await page.locator('.field-description').allTextContents()).toContain('The team that runs it.');
    // dependencies/oneOf: "Dashboard name" appears only when monitoring is on.
    expect(await page.getByLabel('Dashboard name').count()).toBe(0);
    await page.getByLabel('Add monitoring').check();
    await expect.poll(() => page.getByLabel('Dashboard name').count()).toBe(1);
    await page.getByLabel('Add monitoring').uncheck();
    await expect.poll(() => page.getByLabel('Dashboard name').count()).toBe(0);

    await fillServicePage(page, 'Bad_Name');
    // The portal does not check answers itself (the CSP forbids compiling schemas): the server's answer to "Create"
    // brings the form back to this page with the error on the field.
    await fillRepoPage(page, 'bad-repo');
    await page.getByTestId('create').click();
    const nameGroup = page.locator('.form-group', { has: page.getByLabel(/^Name\*?$/) }).last();
    await expect.poll(() => nameGroup.locator('.text-danger').allTextContents()).toEqual([expect.stringContaining('must match pattern')]);
    expect(await page.locator('.stepper li[aria-current=step]').textContent()).toBe('1 Service');
    await screenshot(page, 'create-form-error');
  });

  it('Preview renders the files of the template (dry-run) and shows the tree, a file and the log', async () => {
    await fillServicePage(page, 'my-svc');
    await fillRepoPage(page, 'my-svc');
    await page.getByTestId('preview').click();
    const preview = page.getByTestId('dry-run');
    await expect.poll(() => preview.locator('.card-head h2').first().textContent(), { timeout: 30_000 }).toMatch(/^Preview: \d+ files?$/);
    const tree = page.getByTestId('file-tree');
    expect(await tree.locator('[data-path]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).toEqual([
      'README.md',
      'catalog-info.yaml',
      'src/index.js',
    ]);
    expect(await tree.locator('li span.muted').allTextContents()).toEqual(['src/']);
    expect(await page.getByTestId('file-content').textContent()).toBe('# my-svc\n\nA test service. Listens on port 8080.\n');
    await tree.locator('[data-path="catalog-info.yaml"]').click();
    await expect.poll(() => page.getByTestId('file-content').textContent()).toContain('name: my-svc');
    expect(await page.getByTestId('dry-run-log').textContent()).toContain('[publish]');
    await screenshot(page, 'create-preview');
  });

  it('Create runs the template; the run page shows completed steps and the output link', async () => {
    await page.getByTestId('create').click();
    await page.waitForURL(/\/create\/tasks\/[^/]+$/);
    const status = page.locator('[data-testid=task-status] [data-status]');
    await expect.poll(() => status.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    const steps = page.locator('[data-testid=task-steps] li');
    await expect.poll(() => steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))).toEqual(['fetch', 'publish', 'register']);
    await expect
      .poll(() => steps.locator('[data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))))
      .toEqual(['completed', 'completed', 'completed']);
    const repoLink = page.locator('[data-testid=output-links] a', { hasText: 'Repository' });
    await expect.poll(() => repoLink.getAttribute('href')).toMatch(/\/git\/team-a\/my-svc\.git$/);
    expect(await page.locator('[data-testid=output-links] a', { hasText: 'Open in catalog' }).getAttribute('href')).toBe('/catalog/default/component/my-svc');
    await expect.poll(() => page.getByTestId('task-log').textContent()).toContain('[publish]');
    await screenshot(page, 'create-run');

    await page.getByRole('link', { name: 'Runs' }).click();
    await expect.poll(() => page.locator('[data-testid=tasks] tbody tr').count()).toBe(1);
  });

  it("the new component's page shows its golden path version", async () => {
    const res = await fetch(`${s.tarmac.url}/api/scaffolder/v2/repositories?componentRef=component:default/my-svc`);
    expect(res.status).toBe(200);
    await page.goto(`${s.tarmac.url}/catalog/default/component/my-svc`);
    const version = page.getByTestId('golden-path-version');
    await expect.poll(() => version.textContent()).toBe('template Portal test service v1, latest v1 current');
    expect(await page.getByTestId('upgrade').count()).toBe(0);
    await screenshot(page, 'entity-golden-path');
  });

  it('logged no unexpected browser errors', () => {
    expect(unexpectedProblems(s.problems)).toEqual([]);
  });
});
