/**
 * Test helpers for upgrades: a two-version fixture template held in memory, and scaffolding a repository from a
 * version the way a run does (render, origin file, first commit pushed to a bare repository under
 * `<dataDir>/repos/<owner>/<repo>.git`) without the run machinery. Used by the end-to-end test and the benchmark.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { renderTemplateFiles } from '../../engine/index.js';
import type { TemplateEntity } from '../../types.js';
import type { VersionStore } from '../../versions/index.js';
import { writeOrigin } from '../origin.js';
import type { RepositoryStore } from '../repositories.js';
import type { ScaffoldedRepository } from '../types.js';

/** The fixture template's entity at a version (annotation `tarmac.dev/template-version`). */
export function fixtureTemplate(version: string): TemplateEntity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'upgrade-fixture', annotations: { 'tarmac.dev/template-version': version } },
    spec: {
      parameters: { type: 'object', required: ['name', 'owner'], properties: { name: { type: 'string' }, owner: { type: 'string' } } },
      steps: [
        { id: 'fetch', action: 'fetch:template', input: { url: './skeleton', values: { name: '${{ parameters.name }}', owner: '${{ parameters.owner }}' } } },
        { id: 'publish', action: 'publish:git', input: { repoUrl: 'localhost?owner=team-a&repo=${{ parameters.name }}' } },
      ],
    },
  };
}

/** Skeleton files of v1 (`1.0.0`). */
export const FIXTURE_V1: Record<string, string> = {
  'skeleton/README.md': '# ${{ values.name }}\n\nOwned by ${{ values.owner }}.\n\n## Running\n\nnpm start\n',
  'skeleton/src/index.ts': "console.log('hello from ${{ values.name }}');\n",
  'skeleton/config.yaml': 'name: ${{ values.name }}\nport: 8080\nreplicas: 1\nlogLevel: info\ntimeoutSeconds: 30\n',
  'skeleton/old.txt': 'to be removed\n',
};

/** v2 (`2.0.0`): README's run line changes, timeoutSeconds 30 → 60, old.txt removed, a CI workflow added. */
export const FIXTURE_V2: Record<string, string> = {
  'skeleton/README.md': '# ${{ values.name }}\n\nOwned by ${{ values.owner }}.\n\n## Running\n\nnpm run start:prod\n',
  'skeleton/src/index.ts': "console.log('hello from ${{ values.name }}');\n",
  'skeleton/config.yaml': 'name: ${{ values.name }}\nport: 8080\nreplicas: 1\nlogLevel: info\ntimeoutSeconds: 60\n',
  'skeleton/.github/workflows/ci.yaml': 'name: ci for ${{ values.name }}\n',
};

/** The fixture's template.yaml as a file too, so versions differ in content like a real template folder. */
export function fixtureFiles(version: string, skeleton: Record<string, string>): Record<string, string> {
  return { ...skeleton, 'template.yaml': `# upgrade fixture ${version}\n` };
}

/**
 * Scaffolds one repository from a recorded version: renders it with `values`, writes the origin file, commits
 * and pushes `main` to a new bare repository `<dataDir>/repos/<owner>/<name>.git`, and records the repository.
 * @param edit called on the working copy after the first commit: the team's later change, committed and pushed
 */
export async function scaffoldFixtureRepository(o: {
  dataDir: string;
  versions: VersionStore;
  repositories: RepositoryStore;
  templateRef: string;
  version: string;
  owner: string;
  name: string;
  values: Record<string, unknown>;
  edit?: (dir: string) => Promise<void>;
}): Promise<ScaffoldedRepository> {
  const { entity, files } = await o.versions.get(o.templateRef, o.version);
  const rendered = await renderTemplateFiles({ template: entity, templateRef: o.templateRef, version: o.version, files, values: o.values });
  const bare = path.join(o.dataDir, 'repos', o.owner, `${o.name}.git`);
  await mkdir(bare, { recursive: true });
  await simpleGit(bare).init(true, ['--initial-branch=main']);
  const work = await mkdtemp(path.join(os.tmpdir(), 'tarmac-scaffold-'));
  try {
    for (const [rel, bytes] of rendered) {
      await mkdir(path.dirname(path.join(work, rel)), { recursive: true });
      await writeFile(path.join(work, rel), bytes);
    }
    await writeOrigin(work, { templateRef: o.templateRef, version: o.version, values: o.values, createdAt: new Date().toISOString(), tarmacVersion: '0.1.0' });
    const git = simpleGit(work);
    await git.init(['--initial-branch=main']);
    await git.addConfig('user.name', 'Scaffolder').addConfig('user.email', 'scaffolder@test.invalid').addConfig('commit.gpgsign', 'false');
    await git.add('.').commit('Initial commit').addRemote('origin', bare).push('origin', 'main');
    if (o.edit) {
      await o.edit(work);
      await git.add('.').commit('Team change').push('origin', 'main');
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return o.repositories.record({
    templateRef: o.templateRef,
    version: o.version,
    repoUrl: `localhost?owner=${o.owner}&repo=${o.name}`,
    remoteUrl: `http://localhost:7007/git/${o.owner}/${o.name}.git`,
    publisher: 'git',
    componentRef: `component:default/${o.name}`,
    taskId: `task-${o.name}`,
  });
}

/** Clones `branch` of a bare repository into a temp folder (caller removes it); undefined when there is no such branch. */
export async function cloneBranch(bare: string, branch: string): Promise<string | undefined> {
  const heads = await simpleGit().listRemote(['--heads', bare, `refs/heads/${branch}`]);
  if (!heads.trim()) return undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tarmac-check-'));
  await simpleGit().clone(bare, dir, ['--branch', branch]);
  return dir;
}

