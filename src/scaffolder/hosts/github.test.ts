// publish:github and publish:github:pull-request against recorded GitHub REST exchanges (fixtures/), replayed on
// loopback; the git push is real, into a bare repository in a temp folder. Expected values come from the fixtures
// and the inputs, not from the actions' output.
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { TarmacError } from '../../core/errors.js';
import type { TemplateAction } from '../types.js';
import { hostPublishActions } from './index.js';
import { loadFixture, startReplayServer, type ReplayServer } from './testing/replay-server.js';
import { testActionContext } from './testing/action-context.js';
import { bareRepo, configWith, inspect, seed, tempDir, writeFiles } from './testing/git-repos.js';

const TOKEN = 'ghp_TESTONLY0000000000000000000000000000';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(fixture: string, cloneUrl?: string) {
  const root = await tempDir('gh');
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const bare = await bareRepo(root, 'trip-planner');
  const server: ReplayServer = await startReplayServer(loadFixture(fixture, { TOKEN, CLONE_URL: cloneUrl ?? bare.url }));
  cleanups.push(() => server.close());
  const config = configWith({ github: [{ host: 'github.com', token: TOKEN, apiBaseUrl: server.url }] });
  const action = (id: string) => hostPublishActions(config).find((a) => a.id === id) as TemplateAction;
  return { root, bare, server, action };
}

async function run(action: TemplateAction, input: Record<string, unknown>, files: Record<string, string>) {
  const workspace = await tempDir('ws');
  await writeFiles(workspace, files);
  const t = testActionContext(input, workspace);
  cleanups.push(() => rm(workspace, { recursive: true, force: true }), t.cleanup);
  const error = await action.handler(t.ctx).then(() => undefined, (e: unknown) => e as TarmacError);
  return { ...t, error };
}

const WORKSPACE = {
  'README.md': '# trip-planner\n',
  'src/index.ts': 'export const ok = true;\n',
  '.github/workflows/ci.yaml': 'name: ci\n',
};

describe('publish:github', () => {
  it('creates the repository in the organization, sets topics, pushes the workspace', async () => {
    const { bare, server, action } = await setup('github-publish-org');
    const r = await run(action('publish:github'), {
      repoUrl: 'github.com?owner=kestrel&repo=trip-planner',
      description: 'Plans trips',
      repoVisibility: 'internal',
      defaultBranch: 'main',
      topics: ['TypeScript', 'golden-path'],
      gitCommitMessage: 'Scaffold trip-planner',
      gitAuthorName: 'Jane Doe',
      gitAuthorEmail: 'jane@kestrel.example',
    }, WORKSPACE);
    expect(r.error).toBeUndefined();
    expect(server.mismatches).toEqual([]);
    expect(server.remaining()).toBe(0);
    const repo = inspect(bare.dir);
    expect(await repo.files('main')).toEqual(['.github/workflows/ci.yaml', 'README.md', 'src/index.ts']);
    expect(await repo.show('main', 'README.md')).toBe('# trip-planner\n');
    expect(await repo.head('main')).toBe('Jane Doe <jane@kestrel.example>|Scaffold trip-planner|');
    expect(r.outputs).toEqual({
      remoteUrl: bare.url,
      repoContentsUrl: 'https://github.com/kestrel/trip-planner/blob/main',
      commitHash: await repo.tip('main'),
    });
    expect(r.logs.join('\n')).not.toContain(TOKEN);
  });

  it('creates it for the token user when the owner is a person; private, branch master, sourcePath as root', async () => {
    const { bare, server, action } = await setup('github-publish-user');
    const r = await run(
      action('publish:github'),
      { repoUrl: 'github.com?owner=jane&repo=scratch', sourcePath: 'service', protectDefaultBranch: false },
      { 'service/main.py': 'print(1)\n', 'notes.txt': 'not published\n' },
    );
    expect(r.error).toBeUndefined();
    expect(server.mismatches).toEqual([]);
    expect(await inspect(bare.dir).files('master')).toEqual(['main.py']);
    expect(await inspect(bare.dir).head('master')).toBe('Tarmac Scaffolder <scaffolder@tarmac.invalid>|initial commit|');
    expect(r.logs).toContain('warn: inputs not supported by Tarmac, ignored: protectDefaultBranch');
  });

  it('answers CONFLICT naming the repository when GitHub says the name exists (422)', async () => {
    const { bare, server, action } = await setup('github-publish-conflict');
    const r = await run(action('publish:github'), { repoUrl: 'github.com?owner=kestrel&repo=trip-planner' }, WORKSPACE);
    expect(server.mismatches).toEqual([]);
    expect(r.error).toBeInstanceOf(TarmacError);
    expect(r.error?.code).toBe('CONFLICT');
    expect(r.error?.message).toBe(
      'creating repository github.com/kestrel/trip-planner: it already exists (host said: Repository creation failed.: name already exists on this account)',
    );
    expect(await inspect(bare.dir).branches()).toEqual([]);
  });

  it('names the host when no token is configured, before any request', async () => {
    const workspace = await tempDir('ws');
    cleanups.push(() => rm(workspace, { recursive: true, force: true }));
    for (const github of [[], [{ host: 'github.com' }]]) {
      const [action] = hostPublishActions(configWith({ github }));
      const t = testActionContext({ repoUrl: 'github.com?owner=kestrel&repo=x' }, workspace);
      const err = (await action?.handler(t.ctx).catch((e: unknown) => e)) as TarmacError;
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.message).toContain('no GitHub token configured for host github.com');
      expect(err.message).toContain('integrations.github');
    }
  });

  it('turns 401 into UPSTREAM_FAILED with a hint, without the token', async () => {
    const { action } = await setup('github-publish-unauthorized');
    const r = await run(action('publish:github'), { repoUrl: 'github.com?owner=kestrel&repo=trip-planner' }, WORKSPACE);
    expect(r.error?.code).toBe('UPSTREAM_FAILED');
    expect(r.error?.message).toBe(
      'looking up owner kestrel on github.com failed (HTTP 401): Bad credentials — check the integration token and its permissions',
    );
  });

  it('never shows the token when git fails on a clone URL carrying it', async () => {
    const leaky = `http://x-access-token:${TOKEN}@127.0.0.1:9/kestrel/trip-planner.git`;
    const { action } = await setup('github-publish-leaky-clone-url', leaky);
    const r = await run(action('publish:github'), { repoUrl: 'github.com?owner=kestrel&repo=trip-planner' }, WORKSPACE);
    expect(r.error?.code).toBe('UPSTREAM_FAILED');
    expect(r.error?.message).toMatch(/^pushing to http:\/\/\[redacted\]@127\.0\.0\.1:9\/kestrel\/trip-planner\.git failed: /);
    expect(`${r.error?.message}\n${r.logs.join('\n')}`).not.toContain(TOKEN);
  });
});

describe('publish:github:pull-request', () => {
  it('pushes a branch on top of the default branch and opens the pull request', async () => {
    const { bare, server, action } = await setup('github-pull-request');
    const mainTip = await seed(bare.url, 'main', { 'README.md': '# trip-planner\n', 'src/app.ts': 'v1\n' });
    const r = await run(action('publish:github:pull-request'), {
      repoUrl: 'github.com?owner=kestrel&repo=trip-planner',
      branchName: 'tarmac/runbook',
      title: 'Add the runbook',
      description: 'Adds docs/runbook.md',
    }, { 'README.md': '# trip-planner\n', 'docs/runbook.md': '# Runbook\n' });
    expect(r.error).toBeUndefined();
    expect(server.mismatches).toEqual([]);
    expect(server.remaining()).toBe(0);
    expect(r.outputs).toEqual({
      remoteUrl: 'https://github.com/kestrel/trip-planner/pull/7',
      pullRequestNumber: 7,
      targetBranchName: 'main',
    });
    const repo = inspect(bare.dir);
    expect(await repo.branches()).toEqual(['main', 'tarmac/runbook']);
    expect(await repo.files('tarmac/runbook')).toEqual(['README.md', 'docs/runbook.md', 'src/app.ts']);
    expect(await repo.head('tarmac/runbook')).toBe(`Tarmac Scaffolder <scaffolder@tarmac.invalid>|Add the runbook|${mainTip}`);
    expect(await repo.tip('main')).toBe(mainTip);
  });

  it('refuses with CONFLICT when the branch exists, and opens nothing', async () => {
    const { bare, server, action } = await setup('github-pull-request');
    await seed(bare.url, 'main', { 'README.md': 'x\n' });
    await seed(bare.url, 'tarmac/runbook', { 'README.md': 'y\n' });
    const r = await run(action('publish:github:pull-request'), {
      repoUrl: 'github.com?owner=kestrel&repo=trip-planner', branchName: 'tarmac/runbook', title: 't', description: 'd',
    }, { 'docs/runbook.md': '# Runbook\n' });
    expect(r.error?.code).toBe('CONFLICT');
    expect(r.error?.message).toBe(`branch "tarmac/runbook" already exists in ${bare.url}`);
    expect(server.remaining()).toBe(1); // the POST /pulls was never sent
  });
});
