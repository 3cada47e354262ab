import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngines, type TestDatabase } from '../../core/testing/databases.js';
import { createVersionStore } from '../versions/index.js';
import { memoryTemplateFiles } from '../versions/testing/memory-files.js';
import type { TemplateEntity } from '../types.js';
import { createRepositoryStore, upgradeMigrations, type RepositoryStore } from './index.js';

const template: TemplateEntity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'svc', annotations: { 'tarmac.dev/template-version': '1.0' } },
  spec: { steps: [] },
};

describe.each(testEngines())('repository store on %s', (engine) => {
  let t: TestDatabase;
  let repos: RepositoryStore;
  beforeAll(async () => {
    t = await openTestDatabase(engine, upgradeMigrations);
    repos = createRepositoryStore(t.db);
    await createVersionStore(t.db).record('template:default/svc', template, memoryTemplateFiles({ 'a.txt': 'a' }));
  });
  afterAll(() => t.close());

  it('records repositories and finds them by template, component and repoUrl', async () => {
    const a = await repos.record({
      templateRef: 'Template:default/SVC',
      version: '1.0',
      repoUrl: 'localhost?owner=team-a&repo=payments',
      remoteUrl: 'http://localhost:7007/git/team-a/payments.git',
      publisher: 'git',
      componentRef: 'Component:default/Payments',
      taskId: 'task-1',
    });
    expect(a).toMatchObject({ templateRef: 'template:default/svc', version: '1.0', versionNumber: 1, componentRef: 'component:default/payments', lastUpgrade: null });
    await repos.record({ templateRef: 'template:default/svc', version: 'unknown', repoUrl: 'localhost?owner=team-a&repo=orders', remoteUrl: 'x', publisher: 'git', taskId: 't2' });
    expect((await repos.listByTemplate('template:default/svc')).map((r) => [r.repoUrl, r.versionNumber])).toEqual([
      ['localhost?owner=team-a&repo=orders', null],
      ['localhost?owner=team-a&repo=payments', 1],
    ]);
    expect((await repos.findByComponent('component:default/payments')).map((r) => r.repoUrl)).toEqual(['localhost?owner=team-a&repo=payments']);
    expect(await repos.findByRepoUrl('localhost?owner=nobody&repo=x')).toBeUndefined();
  });

  it('stores the last upgrade and a new version seen on the default branch', async () => {
    const url = 'localhost?owner=team-a&repo=payments';
    await repos.recordUpgrade(url, { status: 'conflicts', fromVersion: '1.0', toVersion: '2.0', conflicts: ['a.txt'], at: '2026-11-21T09:00:00.000Z' });
    await repos.setVersion(url, '2.0');
    const r = await repos.findByRepoUrl(url);
    expect(r).toMatchObject({ version: '2.0', versionNumber: null });
    expect(r?.lastUpgrade).toEqual({ status: 'conflicts', fromVersion: '1.0', toVersion: '2.0', conflicts: ['a.txt'], at: '2026-11-21T09:00:00.000Z' });
  });

  it('refuses bad input with every problem named', async () => {
    await expect(
      repos.record({ templateRef: '', version: '1', repoUrl: 'r', remoteUrl: 'u', publisher: 'svn' as 'git', taskId: 't' }),
    ).rejects.toThrow('cannot record repository: templateRef must be a non-empty string; publisher must be git, github or gitlab, got "svn"');
  });
});
