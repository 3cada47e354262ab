import { mkdtempSync, readFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditInput } from '../../core/auth.js';
import { defaultConfig, type TarmacConfig } from '../../core/config.js';
import { silentLogger } from '../../core/logger.js';
import { openTestDatabase, testEngines, type TestDatabase } from '../../core/testing/databases.js';
import { createVersionStore, type VersionStore } from '../versions/index.js';
import { memoryTemplateFiles } from '../versions/testing/memory-files.js';
import { createRepositoryStore, createUpgrader, upgradeMigrations, type RepositoryStore, type Upgrader } from './index.js';
import { FIXTURE_V1, FIXTURE_V2, cloneBranch, fixtureFiles, fixtureTemplate, scaffoldFixtureRepository } from './testing/fixture.js';

const REF = 'template:default/upgrade-fixture';
const BRANCH = 'tarmac/upgrade-upgrade-fixture-v2';
const read = (dir: string, rel: string): string => readFileSync(path.join(dir, rel), 'utf8');

describe.each(testEngines())('upgrading scaffolded repositories on %s', (engine) => {
  let t: TestDatabase;
  let dataDir: string;
  let versions: VersionStore;
  let repositories: RepositoryStore;
  let upgrader: Upgrader;
  const audit: AuditInput[] = [];
  const bare = (name: string) => path.join(dataDir, 'repos', 'team-a', `${name}.git`);
  const scaffold = (name: string, version: string, edit?: (dir: string) => Promise<void>) =>
    scaffoldFixtureRepository({ dataDir, versions, repositories, templateRef: REF, version, owner: 'team-a', name, values: { name, owner: 'group:default/team-a' }, ...(edit ? { edit } : {}) });
  const editConfig = (from: string, to: string) => async (dir: string) => {
    writeFileSync(path.join(dir, 'config.yaml'), read(dir, 'config.yaml').replace(from, to));
  };

  beforeAll(async () => {
    t = await openTestDatabase(engine, upgradeMigrations);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-upgrade-data-'));
    const config: TarmacConfig = { ...defaultConfig(), dataDir };
    versions = createVersionStore(t.db);
    repositories = createRepositoryStore(t.db);
    upgrader = createUpgrader({ versions, repositories, logger: silentLogger(), audit: { record: async (e) => void audit.push(e) }, config, tarmacVersion: '0.1.0' });
    expect(await versions.record(REF, fixtureTemplate('1.0.0'), memoryTemplateFiles(fixtureFiles('1.0.0', FIXTURE_V1)))).toEqual({ version: '1.0.0', number: 1 });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('merges v2 into a repository the team changed, on a new pushed branch', async () => {
    const repo = await scaffold('payments', '1.0.0', async (dir) => {
      await editConfig('replicas: 1', 'replicas: 3')(dir);
      writeFileSync(path.join(dir, 'src/index.ts'), "console.log('hello from payments');\nconsole.log('team line');\n");
    });
    // The platform team publishes v2 after the repository was made.
    expect(await versions.record(REF, fixtureTemplate('2.0.0'), memoryTemplateFiles(fixtureFiles('2.0.0', FIXTURE_V2)))).toEqual({ version: '2.0.0', number: 2 });

    const result = await upgrader.upgradeRepository({ repo, actor: 'user:default/alice', requestId: 'req-1' });

    expect(result).toMatchObject({ status: 'upgraded', repo: 'localhost?owner=team-a&repo=payments', fromVersion: '1.0.0', toVersion: '2.0.0', fromNumber: 1, toNumber: 2, branch: BRANCH });
    expect(result.files).toEqual([
      { path: '.github/workflows/ci.yaml', outcome: 'added' },
      { path: 'README.md', outcome: 'updated' },
      { path: 'config.yaml', outcome: 'merged' },
      { path: 'old.txt', outcome: 'deleted' },
    ]);
    const dir = await cloneBranch(bare('payments'), BRANCH);
    if (!dir) throw new Error('the upgrade branch was not pushed');
    try {
      expect(read(dir, 'config.yaml')).toBe('name: payments\nport: 8080\nreplicas: 3\nlogLevel: info\ntimeoutSeconds: 60\n');
      expect(read(dir, 'README.md')).toBe('# payments\n\nOwned by group:default/team-a.\n\n## Running\n\nnpm run start:prod\n');
      expect(read(dir, '.github/workflows/ci.yaml')).toBe('name: ci for payments\n');
      expect(read(dir, 'src/index.ts')).toBe("console.log('hello from payments');\nconsole.log('team line');\n");
      expect(existsSync(path.join(dir, 'old.txt'))).toBe(false);
      const origin = JSON.parse(read(dir, '.tarmac/template.json')) as Record<string, unknown>;
      expect(origin).toMatchObject({ templateRef: REF, version: '2.0.0', values: { name: 'payments', owner: 'group:default/team-a' } });
      expect(typeof origin.upgradedAt).toBe('string');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect((await repositories.findByRepoUrl(repo.repoUrl))?.lastUpgrade).toMatchObject({ status: 'upgraded', branch: BRANCH, fromVersion: '1.0.0', toVersion: '2.0.0' });
    expect(audit.at(-1)).toMatchObject({ actor: 'user:default/alice', action: 'template.upgrade', resource: 'component:default/payments', outcome: 'success', requestId: 'req-1' });
  });

  it('reports overlapping edits as conflicts and pushes nothing', async () => {
    const repo = await scaffold('orders', '1.0.0', editConfig('timeoutSeconds: 30', 'timeoutSeconds: 45'));
    const result = await upgrader.upgradeRepository({ repo, actor: 'local' });
    expect(result).toMatchObject({ status: 'conflicts', conflicts: ['config.yaml'], fromVersion: '1.0.0', toVersion: '2.0.0' });
    expect(result.branch).toBeUndefined();
    expect(result.files.find((f) => f.path === 'config.yaml')).toEqual({ path: 'config.yaml', outcome: 'conflict', reason: 'overlapping changes near line 5 of the old version' });
    expect(await cloneBranch(bare('orders'), BRANCH)).toBeUndefined();
    expect((await repositories.findByRepoUrl(repo.repoUrl))?.lastUpgrade).toMatchObject({ status: 'conflicts', conflicts: ['config.yaml'] });
  });

  it('upgrades every repository of the template and counts each outcome', async () => {
    await scaffold('billing', '2.0.0'); // made from v2: already current
    const progress: string[] = [];
    const summary = await upgrader.upgradeAll(REF, { actor: 'local', onProgress: (done, total, r) => progress.push(`${done}/${total} ${r.status}`) });
    // payments: its branch exists already (left unchanged); orders: conflicts again; billing: current
    expect({ upgraded: summary.upgraded, conflicts: summary.conflicts, current: summary.current, failed: summary.failed }).toEqual({ upgraded: 1, conflicts: 1, current: 1, failed: 0 });
    expect(summary.results.find((r) => r.repo.endsWith('repo=payments'))?.message).toBe(`branch ${BRANCH} already exists on the remote; left unchanged`);
    expect(progress.map((p) => p.split(' ')[0])).toEqual(['1/3', '2/3', '3/3']);
  });

  it('commits conflict markers on the branch only when allowed, and says so', async () => {
    const repo = await repositories.findByRepoUrl('localhost?owner=team-a&repo=orders');
    if (!repo) throw new Error('orders is not recorded');
    const result = await upgrader.upgradeRepository({ repo, actor: 'local', allowConflicts: true });
    expect(result).toMatchObject({ status: 'conflicts', conflicts: ['config.yaml'], conflictMarkersCommitted: true, branch: BRANCH });
    const dir = await cloneBranch(bare('orders'), BRANCH);
    if (!dir) throw new Error('the upgrade branch was not pushed');
    try {
      expect(read(dir, 'config.yaml')).toBe(
        'name: orders\nport: 8080\nreplicas: 1\nlogLevel: info\n<<<<<<< repository\ntimeoutSeconds: 45\n||||||| template v1\n' +
          'timeoutSeconds: 30\n=======\ntimeoutSeconds: 60\n>>>>>>> template v2\n',
      );
      expect(read(dir, 'README.md')).toBe('# orders\n\nOwned by group:default/team-a.\n\n## Running\n\nnpm run start:prod\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly for a repository whose origin version was never recorded', async () => {
    const repo = await scaffold('legacy', '2.0.0', async (dir) => {
      writeFileSync(path.join(dir, '.tarmac/template.json'), read(dir, '.tarmac/template.json').replace('"2.0.0"', '"0.9.0"'));
    });
    const result = await upgrader.upgradeRepository({ repo, actor: 'local' });
    expect(result).toMatchObject({
      status: 'failed',
      fromVersion: '0.9.0',
      toVersion: '2.0.0',
      error: 'the repository is on version 0.9.0, which Tarmac never recorded: cannot compute the difference',
    });
    expect(audit.at(-1)).toMatchObject({ action: 'template.upgrade', outcome: 'failure', resource: 'component:default/legacy' });
    // the record follows what the default branch says
    expect((await repositories.findByRepoUrl(repo.repoUrl))?.version).toBe('0.9.0');
  });

  it('fails clearly when the repository cannot be cloned', async () => {
    const repo = await repositories.record({ templateRef: REF, version: '1.0.0', repoUrl: 'localhost?owner=team-a&repo=missing', remoteUrl: 'x', publisher: 'git', taskId: 't' });
    const result = await upgrader.upgradeRepository({ repo, actor: 'local' });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/^git clone of .*missing\.git failed/);
  });
});
