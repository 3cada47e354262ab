import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/run-cli.js';
import type { ValidateReport } from './validate.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_ROOT = path.resolve(HERE, '..', '..', '..');
const FIXTURES = path.join(HERE, 'fixtures');
const EXAMPLES = path.resolve(PROJECT_ROOT, '..', 'shared', 'catalogs', 'backstage-examples');

const component = (name: string, extra = '') =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n${extra}`;

/** `file:line:col` of each error line (text format), without the message. */
const positions = (stdout: string) => stdout.split('\n').filter((l) => l.includes('  ')).map((l) => l.split('  ')[0]);

describe('tarmac catalog validate (fixtures with hand-worked positions, see fixtures/README.md)', () => {
  it('points every field error at its node, or at the nearest existing parent for a missing field', async () => {
    const file = path.join(FIXTURES, 'invalid-fields.yaml');
    const r = await runCli(['catalog', 'validate', file]);
    expect(r.code).toBe(1);
    expect(positions(r.stdout)).toEqual([`${file}:4:9`, `${file}:7:7`, `${file}:8:1`, `${file}:16:1`, `${file}:29:12`]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\S+:4:9 {2}metadata\.name "bad name"/);
    expect(lines[1]).toContain('metadata.tags[1]');
    expect(lines[2]).toContain('spec.owner');
    expect(lines[4]).toContain('metadata.links[1].url');
    expect(lines.at(-1)).toBe('1 file, 3 entities, 5 errors');
  });

  it('reports YAML errors at their position, keeps reading the other documents, leaves placeholders alone', async () => {
    const file = path.join(FIXTURES, 'broken-yaml.yaml');
    const r = await runCli(['catalog', 'validate', file, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as ValidateReport;
    expect(report.files).toBe(1);
    expect(report.entities).toBe(1);
    expect(report.errors.map((e) => [e.line, e.col, e.path])).toEqual([
      [5, 3, ''],
      [12, 1, ''],
    ]);
    expect(report.errors[0]?.file).toBe(file);
  });
});

describe('tarmac catalog validate (files in a temp dir)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-validate-'));
    mkdirSync(path.join(dir, 'team', 'node_modules'), { recursive: true });
    writeFileSync(path.join(dir, 'a.yaml'), `${component('alpha')}---\n${component('beta')}`);
    writeFileSync(path.join(dir, 'team', 'b.yml'), `# beta again, in another file\n${component('Beta')}`);
    writeFileSync(path.join(dir, 'team', 'c.yaml'), component('gamma'));
    writeFileSync(path.join(dir, 'team', 'node_modules', 'x.yaml'), 'not: [valid');
    writeFileSync(path.join(dir, 'ignored.oas.yaml'), 'openapi: 3.0.0\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts valid files: exit 0 and the summary only', async () => {
    const r = await runCli(['catalog', 'validate', path.join(dir, 'team', 'c.yaml'), path.join(dir, 'a.yaml')]);
    expect(r).toEqual({ code: 0, stdout: '2 files, 3 entities, 0 errors\n', stderr: '' });
  });

  it('expands globs and folders, skips node_modules and !excluded files, reports duplicate refs across files', async () => {
    const r = await runCli(['catalog', 'validate', `${dir}/**/*.{yaml,yml}`, `!**/*.oas.yaml`, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as ValidateReport;
    expect(report.files).toBe(3); // a.yaml, team/b.yml, team/c.yaml
    expect(report.entities).toBe(4);
    expect(report.errors).toEqual([
      {
        file: path.join(dir, 'team', 'b.yml'),
        line: 5, // the comment line, apiVersion, kind, metadata, then `  name: Beta`
        col: 9,
        path: 'metadata.name',
        message: `duplicate entity ref component:default/beta, first defined at ${path.join(dir, 'a.yaml')}:13:9`,
        ref: 'component:default/beta',
      },
    ]);
    const folder = await runCli(['catalog', 'validate', path.join(dir, 'team')]);
    expect(folder).toEqual({ code: 0, stdout: '2 files, 2 entities, 0 errors\n', stderr: '' });
  });

  it('fails when a name or pattern matches no file', async () => {
    const r = await runCli(['catalog', 'validate', path.join(dir, 'nothing-*.yaml'), path.join(dir, 'a.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${path.join(dir, 'nothing-*.yaml')}  no file matches this name or pattern\n1 file, 2 entities, 1 error\n`);
  });

  it('exits 2 on usage errors', async () => {
    expect((await runCli(['catalog', 'validate'])).code).toBe(2);
    expect((await runCli(['catalog', 'validate', 'x.yaml', '--format', 'xml'])).code).toBe(2);
  });
});

describe('tarmac catalog validate on the negative fixtures (test/fixtures/catalog/README.md)', () => {
  // Positions worked out by hand from each file: a bad value points at the value, a missing field at its nearest
  // existing parent key (`spec:`), a missing `spec` at the document's first line; YAML errors as the README gives them.
  it('reports every error at its line and column, in file then line order', async () => {
    const dir = path.join(PROJECT_ROOT, 'test', 'fixtures', 'catalog', 'invalid');
    const r = await runCli(['catalog', 'validate', `${dir}/*.yaml`, '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as ValidateReport;
    const got = report.errors.map((e) => `${path.relative(dir, e.file)}:${e.line}:${e.col} ${e.path}`);
    expect(got).toEqual([
      'alias-bomb.yaml:1:1 ',
      'bad-fields.yaml:6:14 metadata.namespace',
      'bad-fields.yaml:7:16 metadata.tags[1]',
      'bad-fields.yaml:9:14 metadata.labels.bad key',
      'bad-fields.yaml:11:12 metadata.links[0].url',
      'bad-fields.yaml:16:10 spec.owner',
      'bad-fields.yaml:17:17 spec.providesApis',
      'bad-fields.yaml:18:1 status',
      'bad-name-leading-dash.yaml:5:9 metadata.name',
      'bad-name-space.yaml:5:9 metadata.name',
      'bad-name-too-long.yaml:5:9 metadata.name',
      'broken-yaml-multi.yaml:14:1 ',
      'broken-yaml.yaml:5:1 ',
      'dup-b.yaml:5:9 metadata.name',
      'missing-required.yaml:6:1 spec.lifecycle',
      'missing-required.yaml:6:1 spec.owner',
      'missing-required.yaml:13:1 spec.definition',
      'missing-required.yaml:22:1 spec.owner',
      'missing-required.yaml:29:1 spec.owner',
      'missing-required.yaml:35:1 spec.type',
      'missing-required.yaml:42:1 spec.children',
      'missing-required.yaml:49:1 spec.memberOf',
      'missing-required.yaml:57:1 spec.target',
      'missing-required.yaml:64:1 spec.steps',
      'missing-required.yaml:67:1 spec',
      'multi-doc-mixed.yaml:14:10 metadata.tags[0]',
      'multi-doc-mixed.yaml:15:1 spec.owner',
      'not-a-mapping.yaml:2:1 ',
    ]);
    // 14 files; entities: bad-fields 1, three bad-name files 3, broken-yaml-multi 2, dup 2, location-missing-file 1,
    // missing-required 10, multi-doc-mixed 3, placeholder-missing 1 (alias-bomb, broken-yaml, not-a-mapping: none).
    expect([report.files, report.entities]).toEqual([14, 23]);
    const dup = report.errors.find((e) => e.file.endsWith('dup-b.yaml'));
    expect(dup?.message).toBe(`duplicate entity ref component:default/duplicated, first defined at ${dir}/dup-a.yaml:5:9`);
    expect(dup?.ref).toBe('component:default/duplicated');
    expect(report.errors.find((e) => e.file.endsWith('bad-name-space.yaml'))?.ref).toBeNull();
  });
});

describe('tarmac catalog validate on the Backstage examples', () => {
  it('accepts every entity file (45 files, 63 entities, counted in ../shared/README.md and by hand)', async () => {
    const r = await runCli(['catalog', 'validate', `${EXAMPLES}/**/*.yaml`, '!**/*.oas.yaml']);
    expect(r).toEqual({ code: 0, stdout: '45 files, 63 entities, 0 errors\n', stderr: '' });
  });
});

describe('the built `tarmac` command (spawned, as CI runs it)', () => {
  const bin = path.join(PROJECT_ROOT, 'bin', 'tarmac.js');
  const built = path.join(PROJECT_ROOT, 'dist', 'src', 'catalog', 'cli', 'index.js');

  it('validates with relative globs from its working directory and exits 1 on errors', () => {
    if (!existsSync(built)) throw new Error('dist/ is not built: run `npm run build` first (npm test does)');
    const r = spawnSync(process.execPath, [bin, 'catalog', 'validate', 'fixtures/*.yaml'], { cwd: HERE, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^fixtures\/broken-yaml\.yaml:5:3 {2}/);
    expect(lines.filter((l) => l.startsWith('fixtures/invalid-fields.yaml:4:9  metadata.name'))).toHaveLength(1);
    expect(lines.at(-1)).toBe('2 files, 4 entities, 7 errors');

    const ok = spawnSync(process.execPath, [bin, 'catalog', 'validate', `${EXAMPLES}/all*.yaml`], { encoding: 'utf8' });
    expect([ok.status, ok.stdout]).toEqual([0, '6 files, 6 entities, 0 errors\n']);

    // A relative glob reaching up with ../, and an exclusion that must apply there too.
    const examples = path.relative(HERE, EXAMPLES);
    const up = spawnSync(process.execPath, [bin, 'catalog', 'validate', `${examples}/**/*.yaml`, '!**/*.oas.yaml'], { cwd: HERE, encoding: 'utf8' });
    expect([up.status, up.stdout]).toEqual([0, '45 files, 63 entities, 0 errors\n']);
  });
});
