import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngines, type TestDatabase } from '../../core/testing/databases.js';
import type { TemplateEntity } from '../types.js';
import { createVersionStore, versionMigrations, type VersionStore } from './index.js';
import { memoryTemplateFiles } from './testing/memory-files.js';

const entity = (annotations: Record<string, string> = {}): TemplateEntity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'svc', annotations },
  spec: { steps: [] },
});

/** The documented hash, worked out here step by step: per file (sorted) path NUL length NUL bytes. */
const expectedHash = (files: Array<[string, string]>): string => {
  const h = createHash('sha256');
  for (const [p, c] of [...files].sort()) h.update(`${p}\0${Buffer.byteLength(c)}\0${c}`);
  return h.digest('hex');
};

describe.each(testEngines())('version store on %s', (engine) => {
  let t: TestDatabase;
  let store: VersionStore;
  beforeAll(async () => {
    t = await openTestDatabase(engine, versionMigrations);
    store = createVersionStore(t.db, { limits: { maxFiles: 3, maxTotalBytes: 1000 } });
  });
  afterAll(() => t.close());

  it('names versions by the annotation, numbers them in order, and gives the same version for the same content', async () => {
    const ref = 'template:default/annotated';
    const v1 = await store.record(ref, entity({ 'tarmac.dev/template-version': '1.0.0' }), memoryTemplateFiles({ 'a.txt': 'one' }));
    expect(v1).toEqual({ version: '1.0.0', number: 1 });
    const again = await store.record(ref, entity({ 'tarmac.dev/template-version': '1.0.0' }), memoryTemplateFiles({ 'a.txt': 'one' }));
    expect(again).toEqual({ version: '1.0.0', number: 1 });
    const v2 = await store.record(ref, entity({ 'tarmac.dev/template-version': '2.0.0' }), memoryTemplateFiles({ 'a.txt': 'two' }));
    expect(v2).toEqual({ version: '2.0.0', number: 2 });
    // the annotation was not bumped although the content changed: a distinct id rather than a lost version
    const reused = await store.record(ref, entity({ 'tarmac.dev/template-version': '2.0.0' }), memoryTemplateFiles({ 'a.txt': 'three' }));
    expect(reused).toEqual({ version: `2.0.0+${expectedHash([['a.txt', 'three']]).slice(0, 8)}`, number: 3 });

    const list = await store.list(ref);
    expect(list.map((v) => [v.number, v.version, v.source, v.fileCount, v.totalBytes])).toEqual([
      [1, '1.0.0', 'annotation', 1, 3],
      [2, '2.0.0', 'annotation', 1, 3],
      [3, reused.version, 'annotation', 1, 5],
    ]);
    expect((await store.latest(ref))?.number).toBe(3);
    expect(await store.latest('template:default/none')).toBeUndefined();
    expect((await store.find(ref, '1.0.0'))?.contentHash).toBe(expectedHash([['a.txt', 'one']]));
  });

  it('falls back to the content hash (12 hex) outside git', async () => {
    const files = { 'b.txt': 'bee', 'a/x.md': '# x\n' };
    const v = await store.record('template:default/hashed', entity(), memoryTemplateFiles(files));
    expect(v).toEqual({ version: expectedHash([['a/x.md', '# x\n'], ['b.txt', 'bee']]).slice(0, 12), number: 1 });
  });

  it('uses the git commit of a clean template folder and the content hash once it is dirty', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-tpl-git-'));
    try {
      const git = simpleGit(dir);
      await git.init().addConfig('user.name', 't').addConfig('user.email', 't@t');
      writeFileSync(path.join(dir, 'template.yaml'), 'kind: Template\n');
      await git.add('.').commit('v1');
      const commit = (await git.revparse(['HEAD'])).trim();
      const e = entity({ 'backstage.io/managed-by-location': `file:${dir}/template.yaml` });
      const ref = 'template:default/from-git';
      expect(await store.record(ref, e, memoryTemplateFiles({ 'template.yaml': 'kind: Template\n' }))).toEqual({ version: commit, number: 1 });
      writeFileSync(path.join(dir, 'template.yaml'), 'kind: Template # edited\n');
      const dirty = await store.record(ref, e, memoryTemplateFiles({ 'template.yaml': 'kind: Template # edited\n' }));
      expect(dirty).toEqual({ version: expectedHash([['template.yaml', 'kind: Template # edited\n']]).slice(0, 12), number: 2 });
      expect((await store.list(ref)).map((v) => v.source)).toEqual(['git', 'content']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses templates over the limits, naming the template', async () => {
    await expect(store.record('template:default/big', entity(), memoryTemplateFiles({ a: '1', b: '2', c: '3', d: '4' }))).rejects.toThrow(
      'template:default/big has 4 files, more than the 3 a version may hold',
    );
    await expect(store.record('template:default/big', entity(), memoryTemplateFiles({ a: 'x'.repeat(600), b: 'y'.repeat(600) }))).rejects.toThrow(
      "template:default/big's files exceed 1000 bytes, the most a version may hold",
    );
    expect(await store.list('template:default/big')).toEqual([]);
  });

  it('gives back a version\'s entity and files', async () => {
    const ref = 'template:default/roundtrip';
    const bin = Buffer.from([0, 1, 2, 255]);
    const { version } = await store.record(ref, entity({ 'tarmac.dev/template-version': 'r1' }), memoryTemplateFiles({ 'skeleton/a.txt': 'A', 'logo.bin': bin }));
    const got = await store.get(ref, version);
    expect(got.entity.metadata.annotations).toEqual({ 'tarmac.dev/template-version': 'r1' });
    expect((await got.files.list('')).sort()).toEqual(['logo.bin', 'skeleton/a.txt']);
    expect((await got.files.read('logo.bin')).equals(bin)).toBe(true);
    expect((await got.files.read('skeleton/a.txt')).toString()).toBe('A');
    await expect(store.get(ref, 'nope')).rejects.toThrow('version nope of template:default/roundtrip is not recorded');
  });

  it('stores files with the same bytes (one shared blob) and reads each back', async () => {
    const ref = 'template:default/twins';
    const { version } = await store.record(ref, entity(), memoryTemplateFiles({ 'a.txt': 'same', 'b/c.txt': 'same', 'd.txt': 'other' }));
    const got = await store.get(ref, version);
    expect(await got.files.list('')).toEqual(['a.txt', 'b/c.txt', 'd.txt']);
    expect((await got.files.read('b/c.txt')).toString()).toBe('same');
    expect((await got.files.read('d.txt')).toString()).toBe('other');
    expect((await store.find(ref, version))?.fileCount).toBe(3);
  });

  it('gives the latest version of many templates in one call, keyed by lowercase ref', async () => {
    const a = 'template:default/latest-a';
    const b = 'template:default/latest-b';
    await store.record(a, entity({ 'tarmac.dev/template-version': 'a1' }), memoryTemplateFiles({ 'x.txt': '1' }));
    await store.record(a, entity({ 'tarmac.dev/template-version': 'a2' }), memoryTemplateFiles({ 'x.txt': '2' }));
    await store.record(b, entity({ 'tarmac.dev/template-version': 'b1' }), memoryTemplateFiles({ 'x.txt': '1' }));
    const latest = await store.latestOf(['Template:default/Latest-A', b, 'template:default/latest-none']);
    expect([...latest.keys()].sort()).toEqual([a, b]);
    expect([latest.get(a)?.version, latest.get(a)?.number]).toEqual(['a2', 2]);
    expect([latest.get(b)?.version, latest.get(b)?.number]).toEqual(['b1', 1]);
    expect((await store.latestOf([])).size).toBe(0);
  });
});
