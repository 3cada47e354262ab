import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { api, startTestTarmac, type TestTarmac } from '../../../test/helpers/tarmac.js';
import { testEngines } from '../../core/testing/databases.js';
import { createVersionStore } from '../versions/index.js';
import { memoryTemplateFiles } from '../versions/testing/memory-files.js';
import { createRepositoryStore, registerUpgradeCommands, type RepositoryView, type UpgradeAllSummary, type UpgradeResult } from './index.js';
import { FIXTURE_V1, FIXTURE_V2, fixtureFiles, fixtureTemplate, scaffoldFixtureRepository } from './testing/fixture.js';

const REF = 'template:default/upgrade-fixture';

/** Runs `tarmac --url <url> template <args…>` with only the upgrade commands; returns exit code and stdout. */
async function cli(url: string, args: string[]): Promise<{ code: number; out: string }> {
  const program = new Command('tarmac').exitOverride().option('--url <url>');
  registerUpgradeCommands(program.command('template'));
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (chunks.push(s), true)) as typeof process.stdout.write;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'tarmac', '--url', url, 'template', ...args]);
  } finally {
    process.stdout.write = write;
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { code, out: chunks.join('') };
}

describe.each(testEngines())('upgrade API and CLI on %s', (engine) => {
  let t: TestTarmac;
  beforeAll(async () => {
    t = await startTestTarmac(engine, []);
    const versions = createVersionStore(t.db);
    const repositories = createRepositoryStore(t.db);
    await versions.record(REF, fixtureTemplate('1.0.0'), memoryTemplateFiles(fixtureFiles('1.0.0', FIXTURE_V1)));
    const base = { dataDir: t.dataDir, versions, repositories, templateRef: REF, version: '1.0.0', owner: 'team-a' };
    await scaffoldFixtureRepository({ ...base, name: 'alpha', values: { name: 'alpha', owner: 'group:default/team-a' } });
    await scaffoldFixtureRepository({ ...base, name: 'beta', values: { name: 'beta', owner: 'group:default/team-a' } });
    await versions.record(REF, fixtureTemplate('2.0.0'), memoryTemplateFiles(fixtureFiles('2.0.0', FIXTURE_V2)));
  });
  afterAll(() => t.close());

  it('lists versions and repositories with how far behind each is', async () => {
    const versions = await api<{ items: Array<{ version: string; number: number }> }>(t.url, '/api/scaffolder/v2/templates/default/template/upgrade-fixture/versions');
    expect(versions.status).toBe(200);
    expect(versions.body.items.map((v) => [v.number, v.version])).toEqual([[1, '1.0.0'], [2, '2.0.0']]);

    const repos = await api<{ latestNumber: number; items: RepositoryView[] }>(t.url, '/api/scaffolder/v2/templates/default/Template/upgrade-fixture/repositories');
    expect(repos.body.latestNumber).toBe(2);
    expect(repos.body.items.map((r) => [r.repoUrl, r.componentRef, r.versionNumber, r.latestNumber, r.behind])).toEqual([
      ['localhost?owner=team-a&repo=alpha', 'component:default/alpha', 1, 2, true],
      ['localhost?owner=team-a&repo=beta', 'component:default/beta', 1, 2, true],
    ]);

    const byComponent = await api<{ items: RepositoryView[] }>(t.url, '/api/scaffolder/v2/repositories?componentRef=alpha');
    expect(byComponent.body.items.map((r) => `template v${r.versionNumber}, latest v${r.latestNumber}`)).toEqual(['template v1, latest v2']);

    const wrongKind = await api<{ error: { code: string; message: string } }>(t.url, '/api/scaffolder/v2/templates/default/component/x/versions');
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error.message).toBe('kind must be template, got "component"');
  });

  it('upgrades one repository by component ref and refuses ambiguous bodies', async () => {
    const res = await api<UpgradeResult>(t.url, '/api/scaffolder/v2/upgrades', { body: { componentRef: 'component:default/alpha' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'upgraded', branch: 'tarmac/upgrade-upgrade-fixture-v2', fromNumber: 1, toNumber: 2 });

    const both = await api<{ error: { message: string } }>(t.url, '/api/scaffolder/v2/upgrades', { body: { componentRef: 'alpha', repoUrl: 'x' } });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe('give exactly one of repoUrl, componentRef, or templateRef with all: true');
    const missing = await api<{ error: { code: string } }>(t.url, '/api/scaffolder/v2/upgrades', { body: { repoUrl: 'localhost?owner=x&repo=y' } });
    expect(missing.status).toBe(404);
    const noAll = await api<{ error: { message: string } }>(t.url, '/api/scaffolder/v2/upgrades', { body: { templateRef: REF } });
    expect(noAll.body.error.message).toBe('templateRef upgrades every repository of the template: set all: true');
  });

  it('tarmac template upgrade --all prints a line per repository (alpha was upgraded just before) and the summary', async () => {
    const r = await cli(t.url, ['upgrade', '--all', REF]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      'upgraded   component:default/alpha  v1 → v2  branch tarmac/upgrade-upgrade-fixture-v2\n' +
        '  branch tarmac/upgrade-upgrade-fixture-v2 already exists on the remote; left unchanged\n' +
        'upgraded   component:default/beta  v1 → v2  branch tarmac/upgrade-upgrade-fixture-v2\n' +
        'upgraded 2 / conflicts 0 / already current 0 / failed 0\n',
    );
    const all = await api<UpgradeAllSummary>(t.url, '/api/scaffolder/v2/upgrades', { body: { templateRef: REF, all: true } });
    expect([all.body.upgraded, all.body.results.every((x) => x.message?.endsWith('already exists on the remote; left unchanged'))]).toEqual([2, true]);
  });

  it('tarmac template repos shows each repository with its last upgrade', async () => {
    const r = await cli(t.url, ['repos', 'upgrade-fixture']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REPOSITORY\s+COMPONENT\s+VERSION\s+LATEST\s+STATE\s+LAST UPGRADE$/);
    expect(lines[1]).toMatch(/^localhost\?owner=team-a&repo=alpha\s+component:default\/alpha\s+v1\s+v2\s+behind\s+upgraded tarmac\/upgrade-upgrade-fixture-v2 \(/);
    expect(lines.at(-1)).toBe('2 repositories, 2 behind');
  });
});
