/**
 * Real input (issue 3): every Backstage software template in ../shared dry-runs; expected files are worked out by
 * hand from each skeleton (see the comments), and templates needing an action Tarmac lacks fail naming it.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { isTarmacError } from '../../core/errors.js';
import type { TemplateEntity } from '../types.js';
import { renderValue, templateFilesFromDirectory, unknownActions } from './index.js';
import { registryWithStubs, runForTest } from './testing.js';

const SHARED = path.resolve(import.meta.dirname, '../../../../shared/templates');
const BST = path.join(SHARED, 'backstage-software-templates/scaffolder-templates');

async function load(dir: string) {
  const template = YAML.parse(await readFile(path.join(dir, 'template.yaml'), 'utf8')) as TemplateEntity;
  return { template, files: templateFilesFromDirectory(dir) };
}
const dryRun = async (dir: string, values: Record<string, unknown>, secrets: Record<string, string> = {}) => {
  const { template, files } = await load(dir);
  return runForTest({ template, files, values, secrets });
};
const failureMessage = (err: unknown) => (isTarmacError(err) ? err.message : String(err));

describe('Backstage software templates (dry-run)', () => {
  it('finds all nine templates and knows which need actions Tarmac lacks', async () => {
    const names = (await readdir(BST)).sort();
    expect(names).toHaveLength(9);
    const missing: Record<string, string[]> = {};
    for (const name of names) {
      const { template } = await load(path.join(BST, name));
      const m = unknownActions(template, registryWithStubs());
      if (m.length) missing[name] = m;
    }
    expect(missing).toEqual({ 'docs-template-cookiecutter': ['fetch:cookiecutter'], 'rails-demo': ['fetch:rails'] });
  });

  it('create-react-app: catalog-info.yaml keeps the description inside {%- if %}, output links from stubs', async () => {
    const run = await dryRun(path.join(BST, 'create-react-app'), {
      component_id: 'my-site',
      description: 'A site',
      owner: 'group:default/web',
      repoUrl: 'github.com?owner=acme&repo=my-site',
    });
    expect(run.error).toBeUndefined();
    // skeleton: 9 files (REMOVED.txt lists the src/ and public/ code left out)
    expect([...run.files.keys()]).toEqual([
      '.gitignore', 'README.md', 'catalog-info.yaml', 'docs/index.md', 'mkdocs.yml', 'package.json',
      'public/manifest.json', 'public/robots.txt', 'tsconfig.json',
    ]);
    expect(run.files.get('catalog-info.yaml')).toBe(
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "my-site"\n  description: "A site"\n' +
        '  annotations:\n    github.com/project-slug: acme/my-site\n    backstage.io/techdocs-ref: dir:.\n' +
        'spec:\n  type: website\n  lifecycle: experimental\n  owner: "group:default/web"\n',
    );
    expect(run.files.get('package.json')).toContain('"name": "my-site",');
    expect(run.files.get('mkdocs.yml')).toMatch(/^site_name: "my-site"\nsite_description: "A site"\n/);
    // values.name is not passed by this template: the heading renders empty
    expect(run.files.get('docs/index.md')).toMatch(/^## \n\nA site\n/);
    expect(run.result?.output.links).toEqual([
      { title: 'Repository', url: '<example>' },
      { title: 'Open in catalog', icon: 'catalog', entityRef: '<example>' },
    ]);
    expect(run.result?.steps.map((s) => [s.id, s.status])).toEqual([
      ['template', 'completed'], ['publish', 'skipped'], ['register', 'skipped'],
    ]);
    expect(run.logs.some((l) => l.message === 'Skipping because publish:github does not support dry-run')).toBe(true);
  });

  it('create-react-app without a description drops the description line', async () => {
    const run = await dryRun(path.join(BST, 'create-react-app'), {
      component_id: 'bare', owner: 'web', repoUrl: 'github.com?owner=acme&repo=bare',
    });
    expect(run.files.get('catalog-info.yaml')).toContain('  name: "bare"\n  annotations:\n');
    expect(run.files.get('mkdocs.yml')).toMatch(/^site_name: "bare"\nsite_description: \n/);
  });

  it('springboot-grpc: README and catalog rendered, banner.txt (Spring ${...}, no Nunjucks tags) verbatim', async () => {
    const dir = path.join(BST, 'springboot-grpc-template');
    const run = await dryRun(dir, {
      component_id: 'greeter', java_package_name: 'io.acme.greeter', description: 'Greets', owner: 'team-a',
      repoUrl: 'github.com?owner=acme&repo=greeter',
    });
    expect(run.error).toBeUndefined();
    expect(run.files.get('README.md')).toBe('# greeter\n\nGreets\n');
    expect(run.files.get('catalog-info.yaml')).toContain('  name: "greeter"\n  description: "Greets"\n');
    expect(run.files.get('SERVICE.marker')).toBe('(This marker file causes Maven to build this artifact as a service)\n');
    const banner = await readFile(path.join(dir, 'skeleton/src/main/resources/banner.txt'), 'utf8');
    expect(run.files.get('src/main/resources/banner.txt')).toBe(banner);
  });

  it('clean-architecture: values without destination render "undefined/undefined" (as Backstage), workflow ${{ github.* }} empties', async () => {
    const run = await dryRun(path.join(BST, 'clean-architecture-app'), {
      name: 'shop', package: 'co.acme', projectType: 'reactive', coverage: 'jacoco', lombok: false, metrics: true,
      owner: 'group:default/team-a', repoUrl: 'github.com?owner=acme&repo=shop',
    });
    expect(run.error).toBeUndefined();
    const catalog = run.files.get('catalog-info.yaml') ?? '';
    expect(catalog).toContain('  name: "shop"\n');
    expect(catalog).toContain('github.com/project-slug: undefined/undefined\n');
    expect(catalog).toContain('  owner: "group:default/team-a"\n');
    const wf = run.files.get('.github/workflows/gradle.yml') ?? '';
    expect(wf).toContain('run: gradle cleanArchitecture --name=shop --type=reactive --package=co.acme --coverage=jacoco --lombok=false --metrics=true --language=JAVA');
    expect(wf).toContain('          ref: \n');
    expect(wf).toMatch(/GITHUB_TOKEN: $/); // the file has no final newline
  });

  it('docs-template renders name and description', async () => {
    const run = await dryRun(path.join(BST, 'docs-template'), {
      name: 'handbook', description: 'How we work', owner: 'team-a', repoUrl: 'github.com?owner=acme&repo=handbook',
    });
    expect(run.files.get('docs/index.md')).toMatch(/^## handbook\n\nHow we work\n/);
    expect(run.files.get('catalog-info.yaml')).toContain('github.com/project-slug: acme/handbook\n');
  });

  it('react-ssr renders package.json fields', async () => {
    const run = await dryRun(path.join(BST, 'react-ssr-template'), {
      component_id: 'web', description: 'Front', owner: 'team-a', repoUrl: 'github.com?owner=acme&repo=web',
    });
    expect(run.error).toBeUndefined();
    expect(run.files.get('package.json')).toContain('"name": "web",\n  "version": "0.0.0",\n  "description": "Front",');
    expect(run.files.get('README.md')).toMatch(/^# web\n\n## Description\n\nFront\n/);
  });

  it('gitlab-merge-request: targetPath puts the file in a folder; the token secret never reaches the log', async () => {
    const run = await dryRun(
      path.join(BST, 'gitlab-merge-request'),
      { name: 'mr-demo', targetPath: 'catalogs/new', branchName: 'add', repoUrl: 'gitlab.com?owner=acme&repo=infra' },
      { USER_OAUTH_TOKEN: 'glpat-very-secret' },
    );
    expect(run.error).toBeUndefined();
    expect([...run.files.keys()]).toEqual(['catalogs/new/catalog-info.yaml']);
    expect(run.files.get('catalogs/new/catalog-info.yaml')).toContain('  name: "mr-demo"\n');
    const publishLog = run.logs.find((l) => l.stepId === 'publish' && l.message.startsWith('Running publish:gitlab:merge-request'));
    expect(publishLog?.message).toContain('"targetPath": "catalogs/new"');
    expect(publishLog?.message).toContain('"token": "***"');
    expect(run.logs.some((l) => l.message.includes('glpat-very-secret'))).toBe(false);
    expect(run.result?.output.links).toEqual([{ url: '<example>', title: 'Go to Gitlab MR' }]);
  });

  it('pull-request: fetch-base writes to the root, then fetch:plain of a remote URL fails naming step and URL', async () => {
    const run = await dryRun(path.join(BST, 'pull-request'), { name: 'proj', repoUrl: 'github.com?owner=acme&repo=mono' });
    expect([...run.files.keys()]).toEqual(['catalog-info.yaml']);
    expect(failureMessage(run.error)).toMatch(/^Step "fetch-docs" \(fetch:plain\) failed: url "https:\/\/github.com\/backstage\/community.*remote URL/);
    // the PR's targetPath expression: the name when no targetPath is given, else the given folder
    const { template } = await load(path.join(BST, 'pull-request'));
    const input = template.spec.steps[2]?.input ?? {};
    const ctx = (parameters: object) => ({ parameters, steps: {}, user: {}, secrets: {} });
    expect(renderValue(input, ctx({ name: 'proj' })).targetPath).toBe('proj');
    expect(renderValue(input, ctx({ name: 'proj', targetPath: 'apps/proj' })).targetPath).toBe('apps/proj');
    expect(renderValue(input, ctx({ name: 'proj' })).branchName).toBe('create-proj');
  });

  it.each([
    ['docs-template-cookiecutter', 'fetch:cookiecutter', 'fetch'],
    ['rails-demo', 'fetch:rails', 'fetch-base'],
  ])('%s fails before running anything, naming %s', async (name, action, step) => {
    const run = await dryRun(path.join(BST, name), { name: 'x', owner: 'o', repoUrl: 'github.com?owner=a&repo=b', dryRun: true });
    expect(failureMessage(run.error)).toBe(`The template uses actions Tarmac does not have: "${action}" (step "${step}")`);
    expect(run.files.size).toBe(0);
    expect(run.logs).toEqual([]);
  });
});

describe('create-app example template', () => {
  it('fails naming notification:send', async () => {
    const run = await dryRun(path.join(SHARED, 'create-app-example/template'), { name: 'svc', repoUrl: 'github.com?owner=a&repo=svc' });
    expect(failureMessage(run.error)).toBe('The template uses actions Tarmac does not have: "notification:send" (step "notify")');
  });

  it('renders its content once notification:send exists (here a stand-in)', async () => {
    const { template, files } = await load(path.join(SHARED, 'create-app-example/template'));
    const registry = registryWithStubs();
    registry.register({ id: 'notification:send', description: 'stub', supportsDryRun: false, schema: { input: { type: 'object' } }, handler: async () => {} });
    const run = await runForTest({ template, files, values: { name: 'svc', repoUrl: 'github.com?owner=a&repo=svc' }, registry });
    expect(run.error).toBeUndefined();
    expect(run.files.get('catalog-info.yaml')).toBe(
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "svc"\nspec:\n  type: service\n  owner: user:guest\n  lifecycle: experimental\n',
    );
    expect(run.files.get('package.json')).toBe('{\n  "name": "svc",\n  "private": true,\n  "dependencies": {}\n}\n');
  });
});
