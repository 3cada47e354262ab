// publish:gitlab, publish:gitlab:merge-request and openChangeRequest against recorded GitHub/GitLab REST exchanges
// (fixtures/), replayed on loopback; git pushes are real, into bare repositories in temp folders.
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { TarmacError } from '../../core/errors.js';
import type { TemplateAction } from '../types.js';
import { hostPublishActions, openChangeRequest } from './index.js';
import { loadFixture, startReplayServer } from './testing/replay-server.js';
import { testActionContext } from './testing/action-context.js';
import { bareRepo, configWith, inspect, seed, tempDir, writeFiles } from './testing/git-repos.js';

const TOKEN = 'glpat-TESTONLY00000000000';
const HOST = 'gitlab.kestrel.example';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(fixture: string) {
  const root = await tempDir('gl');
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const bare = await bareRepo(root, 'trip-planner');
  const server = await startReplayServer(loadFixture(fixture, { TOKEN, CLONE_URL: bare.url }));
  cleanups.push(() => server.close());
  const config = configWith({
    gitlab: [{ host: HOST, token: TOKEN, apiBaseUrl: `${server.url}/api/v4` }],
    github: [{ host: 'github.com', token: TOKEN, apiBaseUrl: server.url }],
  });
  const action = (id: string) => hostPublishActions(config).find((a) => a.id === id) as TemplateAction;
  return { bare, server, action, config };
}

async function run(action: TemplateAction, input: Record<string, unknown>, files: Record<string, string>) {
  const workspace = await tempDir('ws');
  await writeFiles(workspace, files);
  const t = testActionContext(input, workspace);
  cleanups.push(() => rm(workspace, { recursive: true, force: true }), t.cleanup);
  const error = await action.handler(t.ctx).then(() => undefined, (e: unknown) => e as TarmacError);
  return { ...t, error };
}

describe('publish:gitlab', () => {
  it('creates the project in the subgroup and pushes the workspace', async () => {
    const { bare, server, action } = await setup('gitlab-publish');
    const r = await run(action('publish:gitlab'), {
      repoUrl: `${HOST}?owner=kestrel/mobility&repo=trip-planner`,
      description: 'Plans trips',
      defaultBranch: 'main',
      topics: ['python'],
    }, { 'app/main.py': 'print("ok")\n', 'pyproject.toml': '[project]\nname = "trip-planner"\n' });
    expect(r.error).toBeUndefined();
    expect(server.mismatches).toEqual([]);
    expect(server.remaining()).toBe(0);
    const repo = inspect(bare.dir);
    expect(await repo.files('main')).toEqual(['app/main.py', 'pyproject.toml']);
    const remoteUrl = bare.url.replace(/\.git$/, '');
    expect(r.outputs).toEqual({
      remoteUrl,
      repoContentsUrl: `${remoteUrl}/-/blob/main`,
      projectId: 1001,
      commitHash: await repo.tip('main'),
    });
  });

  it('answers CONFLICT when GitLab says the name has already been taken (400)', async () => {
    const { server, action } = await setup('gitlab-publish-conflict');
    const r = await run(action('publish:gitlab'), { repoUrl: `${HOST}?owner=kestrel/mobility&repo=trip-planner` }, { a: 'a' });
    expect(server.mismatches).toEqual([]);
    expect(r.error?.code).toBe('CONFLICT');
    expect(r.error?.message).toContain(`creating project ${HOST}/kestrel/mobility/trip-planner: it already exists`);
    expect(r.error?.message).toContain('name has already been taken');
  });

  it('answers NOT_FOUND naming the namespace the token cannot see', async () => {
    const { action } = await setup('gitlab-publish-no-namespace');
    const r = await run(action('publish:gitlab'), { repoUrl: `${HOST}?owner=nobody&repo=x` }, { a: 'a' });
    expect(r.error?.code).toBe('NOT_FOUND');
    expect(r.error?.message).toBe(`looking up namespace nobody on ${HOST}: not found on the host, or the token cannot see it (404 Namespace Not Found)`);
  });

  it('names the host when no GitLab token is configured for it', async () => {
    const { action } = await setup('gitlab-publish');
    const r = await run(action('publish:gitlab'), { repoUrl: 'gitlab.other.example?owner=a&repo=b' }, { a: 'a' });
    expect(r.error?.code).toBe('CONFIG_INVALID');
    expect(r.error?.message).toContain('no GitLab token configured for host gitlab.other.example');
  });
});

describe('publish:gitlab:merge-request', () => {
  it('pushes sourcePath into targetPath on a new branch and opens the merge request', async () => {
    const { bare, server, action } = await setup('gitlab-merge-request');
    const mainTip = await seed(bare.url, 'main', { 'README.md': '# trip-planner\n' });
    const r = await run(action('publish:gitlab:merge-request'), {
      repoUrl: `${HOST}?owner=kestrel/mobility&repo=trip-planner`,
      branchName: 'tarmac/runbook',
      title: 'Add the runbook',
      description: 'Adds docs/runbook.md',
      sourcePath: 'out',
      targetPath: 'docs',
      removeSourceBranch: true,
    }, { 'out/runbook.md': '# Runbook\n', 'elsewhere.txt': 'not proposed\n' });
    expect(r.error).toBeUndefined();
    expect(server.mismatches).toEqual([]);
    expect(r.outputs).toEqual({
      mergeRequestUrl: `https://${HOST}/kestrel/mobility/trip-planner/-/merge_requests/3`,
      projectid: 'kestrel/mobility/trip-planner',
      projectPath: 'kestrel/mobility/trip-planner',
      targetBranchName: 'main',
    });
    const repo = inspect(bare.dir);
    expect(await repo.files('tarmac/runbook')).toEqual(['README.md', 'docs/runbook.md']);
    expect(await repo.show('tarmac/runbook', 'docs/runbook.md')).toBe('# Runbook\n');
    expect((await repo.head('tarmac/runbook')).split('|')[2]).toBe(mainTip);
  });

  it('refuses a sourcePath outside the workspace before any request', async () => {
    const { server, action } = await setup('gitlab-merge-request');
    const r = await run(action('publish:gitlab:merge-request'), {
      repoUrl: `${HOST}?owner=kestrel/mobility&repo=trip-planner`, branchName: 'b', title: 't', sourcePath: '../../etc',
    }, { a: 'a' });
    expect(r.error?.code).toBe('BAD_REQUEST');
    expect(r.error?.message).toBe('sourcePath "../../etc" leaves the workspace');
    expect(server.remaining()).toBe(2);
  });
});

describe('openChangeRequest', () => {
  it('opens a GitHub pull request for a pushed branch into the given base', async () => {
    const { server, config } = await setup('github-change-request');
    const pr = await openChangeRequest({
      repoUrl: 'github.com?owner=kestrel&repo=trip-planner', branch: 'tarmac/upgrade-v2', base: 'develop',
      title: 'Upgrade to template v2', body: 'Three-way merge of v1 → v2', config,
    });
    expect(server.mismatches).toEqual([]);
    expect(pr).toEqual({ kind: 'github', url: 'https://github.com/kestrel/trip-planner/pull/12', number: 12, base: 'develop' });
  });

  it('opens a GitLab merge request into the default branch when no base is given', async () => {
    const { server, config } = await setup('gitlab-change-request');
    const mr = await openChangeRequest({
      repoUrl: `https://${HOST}/kestrel/mobility/trip-planner.git`, branch: 'tarmac/upgrade-v2', title: 'Upgrade to template v2', config,
    });
    expect(server.mismatches).toEqual([]);
    expect(server.remaining()).toBe(0);
    expect(mr).toEqual({ kind: 'gitlab', url: `https://${HOST}/kestrel/mobility/trip-planner/-/merge_requests/9`, number: 9, base: 'trunk' });
  });

  it('answers CONFLICT when a pull request for the branch is already open', async () => {
    const { config } = await setup('github-change-request-exists');
    const err = (await openChangeRequest({
      repoUrl: 'github.com?owner=kestrel&repo=trip-planner', branch: 'tarmac/upgrade-v2', title: 'x', config,
    }).catch((e: unknown) => e)) as TarmacError;
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('A pull request already exists for kestrel:tarmac/upgrade-v2.');
  });

  it('refuses a host that is neither GitHub nor GitLab', async () => {
    const err = (await openChangeRequest({
      repoUrl: 'bitbucket.org?owner=a&repo=b', branch: 'x', title: 'x', config: configWith({}),
    }).catch((e: unknown) => e)) as TarmacError;
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toBe('cannot open a pull/merge request on bitbucket.org: it is not a GitHub or GitLab host in integrations');
  });
});
