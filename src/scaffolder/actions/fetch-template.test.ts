/**
 * fetch:template / fetch:template:file / fetch:plain against test/fixtures/templates/engine-features (expected
 * files worked out by reading the fixture), plus the workspace-safety cases (`..`, absolute paths, symlinks, limits).
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTarmacError } from '../../core/errors.js';
import { templateFilesFromDirectory } from '../engine/index.js';
import { runForTest } from '../engine/testing.js';
import type { TemplateEntity, TemplateStep } from '../types.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../../test/fixtures/templates/engine-features');
const files = templateFilesFromDirectory(FIXTURE);
const temps: string[] = [];
afterAll(async () => Promise.all(temps.map((t) => rm(t, { recursive: true, force: true }))));
const tempDir = async () => {
  const d = await mkdtemp(path.join(os.tmpdir(), 'tarmac-fetch-test-'));
  temps.push(d);
  return d;
};

const templateOf = (steps: TemplateStep[]): TemplateEntity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'features' },
  spec: { steps },
});
const fetchStep = (input: Record<string, unknown>, action = 'fetch:template'): TemplateStep => ({ id: 'fetch', action, input });
const values = { name: 'svc', pkg: 'io.acme', owner: 'team-a', withOptional: false };
const message = (err: unknown) => (isTarmacError(err) ? `${err.code}: ${err.message}` : String(err));

describe('fetch:template', () => {
  it('renders file and folder names and contents; copyWithoutRender keeps names and contents; binary copied untouched', async () => {
    const run = await runForTest({
      template: templateOf([fetchStep({ url: './skeleton', values, copyWithoutRender: ['.github/workflows/*'] })]),
      files,
      values: {},
    });
    expect(run.error).toBeUndefined();
    expect([...run.files.keys()]).toEqual(['.github/workflows/ci.yml', 'keep/svc.txt', 'logo.png', 'src/io.acme/Main.java', 'svc/README.md']);
    expect(run.files.get('svc/README.md')).toBe('# svc\n\nOwned by team-a.\n');
    expect(run.files.get('src/io.acme/Main.java')).toBe('package io.acme;\n\nclass Main {}\n');
    expect(run.files.get('keep/svc.txt')).toBe('kept svc verbatim\n');
    expect(run.files.get('.github/workflows/ci.yml')).toContain('      - run: echo ${{ github.sha }}\n');
  });

  it('copies the binary logo byte for byte', async () => {
    const ws = await tempDir();
    await runForTest({ template: templateOf([fetchStep({ url: './skeleton', values })]), files, values: {}, workspacePath: ws });
    const original = await readFile(path.join(FIXTURE, 'skeleton/logo.png'));
    expect(original.includes(Buffer.from('${{ values.name }}'))).toBe(true);
    expect((await readFile(path.join(ws, 'logo.png'))).equals(original)).toBe(true);
  });

  it('writes a conditionally named file only when its name renders non-empty', async () => {
    const run = await runForTest({ template: templateOf([fetchStep({ url: './skeleton', values: { ...values, withOptional: true } })]), files, values: {} });
    expect(run.files.get('optional.txt')).toBe('optional for svc\n');
  });

  it('copyWithoutTemplating renders the name but not the contents', async () => {
    const run = await runForTest({ template: templateOf([fetchStep({ url: './skeleton', values, copyWithoutTemplating: ['keep/**'] })]), files, values: {} });
    expect(run.files.get('keep/svc.txt')).toBe('kept ${{ values.name }} verbatim\n');
    // not listed: rendered (GitHub's own ${{ }} has no value here, as in Backstage)
    expect(run.files.get('.github/workflows/ci.yml')).toContain('      - run: echo \n');
  });

  it('templateFileExtension renders only .njk files and strips the extension', async () => {
    const run = await runForTest({ template: templateOf([fetchStep({ url: './njk', values, templateFileExtension: true, targetPath: 'out' })]), files, values: {} });
    expect(Object.fromEntries(run.files)).toEqual({ 'out/config.yaml': 'name: svc\n', 'out/plain.yaml': 'raw: ${{ values.name }}\n', 'out/svc.md': '# svc\n' });
  });

  it('cookiecutterCompat renders {{ cookiecutter.x }} with jsonify and items()', async () => {
    const run = await runForTest({
      template: templateOf([fetchStep({ url: './cookie', values: { name: 'svc', tags: { a: 'x', b: 'y' } }, cookiecutterCompat: true })]),
      files,
      values: {},
    });
    expect(Object.fromEntries(run.files)).toEqual({ 'svc.txt': 'name: "svc"\na=X;b=Y;\n' });
  });

  it('keeps existing files unless replace is set', async () => {
    const ws = await tempDir();
    await writeFile(path.join(ws, 'greeting.txt'), 'mine\n');
    const step = (replace: boolean) => fetchStep({ url: './single', values, replace });
    await runForTest({ template: templateOf([step(false)]), files, values: {}, workspacePath: ws });
    expect(await readFile(path.join(ws, 'greeting.txt'), 'utf8')).toBe('mine\n');
    await runForTest({ template: templateOf([step(true)]), files, values: {}, workspacePath: ws });
    expect(await readFile(path.join(ws, 'greeting.txt'), 'utf8')).toBe('Hello svc!\n');
  });

  it.each([
    [{ targetPath: '../x' }, 'BAD_REQUEST: Step "fetch" (fetch:template) failed: targetPath "../x" leaves the workspace'],
    [{ targetPath: '/tmp/abs' }, 'BAD_REQUEST: Step "fetch" (fetch:template) failed: targetPath "/tmp/abs" must be relative to the workspace'],
    [{ url: '../../etc' }, `BAD_REQUEST: Step "fetch" (fetch:template) failed: url "../../etc" leaves the template's folder`],
    [{ url: 'https://example.com/skeleton' }, 'remote URL'],
  ])('refuses %j', async (input, expected) => {
    const run = await runForTest({ template: templateOf([fetchStep({ url: './single', values, ...input })]), files, values: {} });
    expect(message(run.error)).toContain(expected);
    expect(run.files.size).toBe(0);
  });

  it('refuses a rendered name that leaves the target folder, and skips one that renders absolute', async () => {
    const ws = await tempDir();
    const inner = path.join(ws, 'inner');
    await mkdir(inner);
    const run = await runForTest({ template: templateOf([fetchStep({ url: './escape', values: { evil: '../outside.txt' } })]), files, values: {}, workspacePath: inner });
    expect(message(run.error)).toContain('rendered path "../outside.txt" (from "${{ values.evil }}") "../outside.txt" leaves the workspace');
    expect(await readdir(ws)).toEqual(['inner']);
    const abs = await runForTest({ template: templateOf([fetchStep({ url: './escape', values: { evil: '/etc/passwd' } })]), files, values: {} });
    expect(abs.error).toBeUndefined();
    expect(abs.files.size).toBe(0);
  });

  it('keeps the executable bit of skeleton scripts', async () => {
    const tpl = await tempDir();
    await mkdir(path.join(tpl, 'skeleton'));
    await writeFile(path.join(tpl, 'skeleton', 'run-${{ values.name }}.sh'), '#!/bin/sh\necho ${{ values.name }}\n', { mode: 0o755 });
    const ws = await tempDir();
    const run = await runForTest({ template: templateOf([fetchStep({ url: './skeleton', values })]), files: templateFilesFromDirectory(tpl), values: {}, workspacePath: ws });
    expect(run.files.get('run-svc.sh')).toBe('#!/bin/sh\necho svc\n');
    expect((await stat(path.join(ws, 'run-svc.sh'))).mode & 0o777).toBe(0o755);
  });

  it('refuses a skeleton file or folder that is a symbolic link', async () => {
    const tpl = await tempDir();
    await cp(path.join(FIXTURE, 'single'), path.join(tpl, 'skeleton'), { recursive: true });
    await symlink('/etc/hostname', path.join(tpl, 'skeleton', 'host.txt'));
    const run = await runForTest({ template: templateOf([fetchStep({ url: './skeleton', values })]), files: templateFilesFromDirectory(tpl), values: {} });
    expect(message(run.error)).toContain('Template file "skeleton/host.txt" is a symbolic link; links in templates are refused');
    await rm(path.join(tpl, 'skeleton', 'host.txt'));
    await symlink('/etc', path.join(tpl, 'skeleton', 'etc'));
    const dirRun = await runForTest({ template: templateOf([fetchStep({ url: './skeleton', values })]), files: templateFilesFromDirectory(tpl), values: {} });
    expect(message(dirRun.error)).toContain('"skeleton/etc" is a symbolic link');
  });

  it('refuses to write through a symbolic link in the workspace', async () => {
    const ws = await tempDir();
    const elsewhere = await tempDir();
    await symlink(elsewhere, path.join(ws, 'out'));
    const run = await runForTest({ template: templateOf([fetchStep({ url: './skeleton', values, targetPath: 'out' })]), files, values: {}, workspacePath: ws });
    expect(message(run.error)).toContain('would be written outside the workspace (through a symbolic link)');
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it.each([
    [{ maxFiles: 2, maxTotalBytes: 1e6 }, 'PAYLOAD_TOO_LARGE', 'would exceed maxFiles (2 files)'],
    [{ maxFiles: 100, maxTotalBytes: 100 }, 'PAYLOAD_TOO_LARGE', 'would exceed maxTotalBytes (100 bytes)'],
  ])('enforces limits %j', async (limits, code, text) => {
    const run = await runForTest({ template: templateOf([fetchStep({ url: './skeleton', values })]), files, values: {}, limits });
    expect(isTarmacError(run.error, code as 'PAYLOAD_TOO_LARGE')).toBe(true);
    expect(message(run.error)).toContain(text);
  });
});

describe('fetch:template:file and fetch:plain', () => {
  it('renders one file to targetPath', async () => {
    const run = await runForTest({
      template: templateOf([fetchStep({ url: './single/greeting.txt', targetPath: 'docs/hello.txt', values }, 'fetch:template:file')]),
      files,
      values: {},
    });
    expect(Object.fromEntries(run.files)).toEqual({ 'docs/hello.txt': 'Hello svc!\n' });
  });

  it('copies a folder and a file without rendering', async () => {
    const run = await runForTest({
      template: templateOf([
        fetchStep({ url: './plain', targetPath: 'copy' }, 'fetch:plain'),
        { id: 'one', action: 'fetch:plain:file', input: { url: 'single/greeting.txt', targetPath: 'g.txt' } },
      ]),
      files,
      values: {},
    });
    expect(Object.fromEntries(run.files)).toEqual({
      'copy/a.txt': 'plain ${{ values.name }}\n',
      'copy/sub/b.txt': 'nested\n',
      'g.txt': 'Hello ${{ values.name }}!\n',
    });
  });

  it('fetch:plain on a file points to fetch:plain:file', async () => {
    const run = await runForTest({ template: templateOf([fetchStep({ url: './single/greeting.txt' }, 'fetch:plain')]), files, values: {} });
    expect(message(run.error)).toContain('is a file; use fetch:plain:file');
  });
});
