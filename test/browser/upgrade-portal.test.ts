// The component page's "Golden path" card and its Upgrade button, in headless Chromium, against real runs of a copy
// of the portal fixture template (test/browser/fixtures/portal-template) in a temp folder:
// - svc-one and svc-conflict are made from v1; the copy's README.md skeleton line 3 is then changed and svc-new is
//   made, which records v2 (a new content hash of the template's files, docs/upgrades.md);
// - the team of svc-conflict changed README.md line 3 too: its upgrade overlaps and must report README.md as a
//   conflict without pushing; svc-one's upgrade merges cleanly onto branch tarmac/upgrade-portal-service-v2
//   (the branch naming rule of src/scaffolder/upgrades/upgrader.ts).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_YAML, HAS_CHROMIUM, SKIP_REASON, screenshot } from './harness.js';
import { PORTAL_TEMPLATE, startPortal, unexpectedProblems, type PortalSession } from './app-portal.js';
import { waitForTask } from '../helpers/tarmac.js';

const README_LINE_3 = '${{ values.description }}. Listens on port ${{ values.port }}.';

describe.skipIf(!HAS_CHROMIUM)(HAS_CHROMIUM ? 'portal: golden path card and upgrades' : `portal: golden path card and upgrades (${SKIP_REASON})`, () => {
  let s: PortalSession;
  let templateDir: string;

  /** Runs the template through the API with the given service name and waits for the run to finish. */
  async function scaffold(name: string): Promise<void> {
    const res = await fetch(`${s.tarmac.url}/api/scaffolder/v2/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        templateRef: 'template:default/portal-service',
        values: { name, owner: 'group:default/team-a', description: 'A test service', port: 8080, monitoring: false, repoUrl: `localhost?owner=team-a&repo=${name}` },
      }),
    });
    if (res.status !== 201) throw new Error(`POST /tasks for ${name}: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    const task = await waitForTask<{ status: string; error?: { message: string } }>(s.tarmac.url, id);
    if (task.status !== 'completed') throw new Error(`run of ${name} ended ${task.status}: ${task.error?.message ?? ''}`);
  }

  /** Branch names of a repository Tarmac serves (its bare repository under the data dir). */
  const branches = async (repo: string) =>
    (await simpleGit().listRemote(['--heads', path.join(s.tarmac.dataDir, 'repos', 'team-a', `${repo}.git`)]))
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('refs/heads/')[1]);

  beforeAll(async () => {
    templateDir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-portal-template-'));
    cpSync(path.dirname(PORTAL_TEMPLATE), templateDir, { recursive: true });
    s = await startPortal([
      { type: 'file', target: ACME_YAML },
      { type: 'file', target: path.join(templateDir, 'template.yaml') },
    ]);
    await scaffold('svc-one');
    await scaffold('svc-conflict');

    // The team of svc-conflict edits README.md line 3 and pushes to the repository Tarmac serves.
    const work = mkdtempSync(path.join(os.tmpdir(), 'tarmac-portal-clone-'));
    const git = simpleGit(work);
    await git.clone(path.join(s.tarmac.dataDir, 'repos', 'team-a', 'svc-conflict.git'), '.');
    const readme = path.join(work, 'README.md');
    writeFileSync(readme, readFileSync(readme, 'utf8').replace('A test service. Listens on port 8080.', 'Our payments edge. Port 8080.'));
    await git.addConfig('user.name', 'Team A').addConfig('user.email', 'team-a@example.com');
    await git.add('README.md').commit('describe the service').push('origin', 'HEAD');
    rmSync(work, { recursive: true, force: true });

    // v2 of the template changes the same line; the next run records it.
    const skeletonReadme = path.join(templateDir, 'skeleton', 'README.md');
    writeFileSync(skeletonReadme, readFileSync(skeletonReadme, 'utf8').replace(README_LINE_3, `${README_LINE_3} Health: /healthz.`));
    await scaffold('svc-new');
  }, 240_000);
  afterAll(async () => {
    await s?.close();
    if (templateDir) rmSync(templateDir, { recursive: true, force: true });
  });

  it('shows "template … v1, latest v2" and upgrades a clean repository onto a branch', async () => {
    const { page } = s;
    await page.goto(`${s.tarmac.url}/catalog/default/component/svc-one`);
    const version = page.getByTestId('golden-path-version');
    await expect.poll(() => version.textContent()).toBe('template Portal test service v1, latest v2 behind');
    await page.getByTestId('upgrade').click();
    const result = page.getByTestId('upgrade-result');
    await expect.poll(() => result.textContent(), { timeout: 60_000 }).toContain('upgraded on branch tarmac/upgrade-portal-service-v2');
    expect(await page.getByTestId('upgrade-conflicts').count()).toBe(0);
    expect((await branches('svc-one')).sort()).toEqual(['main', 'tarmac/upgrade-portal-service-v2']);
    await screenshot(page, 'entity-upgrade');
  });

  it('reports the overlapping file as a conflict and pushes nothing', async () => {
    const { page } = s;
    await page.goto(`${s.tarmac.url}/catalog/default/component/svc-conflict`);
    await expect.poll(() => page.getByTestId('golden-path-version').textContent()).toBe('template Portal test service v1, latest v2 behind');
    await page.getByTestId('upgrade').click();
    await expect.poll(() => page.getByTestId('upgrade-conflicts').locator('li').allTextContents(), { timeout: 60_000 }).toEqual(['README.md']);
    expect(await page.getByTestId('upgrade-result').locator('.badge').first().textContent()).toBe('conflicts');
    expect(await branches('svc-conflict')).toEqual(['main']);
    await screenshot(page, 'entity-upgrade-conflicts');
  });

  it('shows the newest repository as current, without an Upgrade button', async () => {
    const { page } = s;
    await page.goto(`${s.tarmac.url}/catalog/default/component/svc-new`);
    await expect.poll(() => page.getByTestId('golden-path-version').textContent()).toBe('template Portal test service v2, latest v2 current');
    expect(await page.getByTestId('upgrade').count()).toBe(0);
  });

  it('logged no unexpected browser errors', () => {
    expect(unexpectedProblems(s.problems)).toEqual([]);
  });
});
