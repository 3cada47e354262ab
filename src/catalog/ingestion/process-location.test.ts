import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type ReadingConfig } from '../../core/config.js';
import type { Entity } from '../model/entity.js';
import { processLocation, type ProcessLocationOptions } from './process-location.js';
import { createReaders } from './readers/index.js';
import { component, docs, location, tempTree, type TempTree } from './testing/trees.js';

let tree: TempTree;
beforeAll(() => {
  tree = tempTree();
});
afterAll(() => tree.remove());

const reading = (over: Partial<ReadingConfig> = {}): ReadingConfig => ({ ...defaultConfig().catalog.reading, ...over });
const opts = (over: Partial<ProcessLocationOptions> = {}): ProcessLocationOptions => ({
  readers: createReaders({ reading: reading(), dataDir: tree.p('.data') }),
  ...over,
});
const refs = (r: { result: { entities: Array<{ ref: string }> } }) => r.result.entities.map((e) => e.ref);

describe('processLocation: files', () => {
  it('follows Location targets and globs, reading a file reached twice only once', async () => {
    tree.write({
      'globs/root.yaml': docs(location('root', ['./svc/*.yaml', './svc/a.yaml'])),
      'globs/svc/a.yaml': component('a'),
      'globs/svc/b.yaml': component('b'),
    });
    const out = await processLocation({ type: 'file', target: tree.p('globs/root.yaml') }, opts());
    expect(refs(out)).toEqual(['location:default/root', 'component:default/a', 'component:default/b']);
    expect(out.result.errors).toEqual([]);
    expect(out.files).toBe(3);
  });

  it('accepts a glob as the root location', async () => {
    const out = await processLocation({ type: 'file', target: tree.p('globs/svc/*.yaml') }, opts());
    expect(refs(out)).toEqual(['component:default/a', 'component:default/b']);
    const none = await processLocation({ type: 'file', target: tree.p('globs/nothing/*.yaml') }, opts());
    expect(none.rootFailed).toBe(true);
    expect(none.result.errors).toEqual([
      { code: 'fetch', message: `no file matches ${tree.p('globs/nothing/*.yaml')}`, sourceFile: `file:${tree.p('globs/nothing/*.yaml')}` },
    ]);
  });

  it('reports a cycle with its path, and keeps what was read', async () => {
    tree.write({
      'cycle/a.yaml': docs(location('la', ['./b.yaml'])),
      'cycle/b.yaml': docs(location('lb', ['./a.yaml']), component('in-b')),
    });
    const out = await processLocation({ type: 'file', target: tree.p('cycle/a.yaml') }, opts());
    expect(refs(out)).toEqual(['location:default/la', 'location:default/lb', 'component:default/in-b']);
    const a = `file:${tree.p('cycle/a.yaml')}`;
    const b = `file:${tree.p('cycle/b.yaml')}`;
    expect(out.result.errors).toEqual([
      { code: 'location', message: `location cycle: ${a} → ${b} → ${a}`, sourceFile: b, entityRef: 'location:default/lb' },
    ]);
  });

  it('stops at the depth limit', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++) files[`deep/l${i}.yaml`] = docs(location(`l${i}`, [`./l${i + 1}.yaml`]));
    files['deep/l5.yaml'] = component('bottom');
    tree.write(files);
    const out = await processLocation({ type: 'file', target: tree.p('deep/l0.yaml') }, opts({ limits: { maxDepth: 3 } }));
    expect(refs(out)).toEqual(['location:default/l0', 'location:default/l1', 'location:default/l2', 'location:default/l3']);
    expect(out.result.errors).toEqual([
      {
        code: 'location',
        message: `file:${tree.p('deep/l4.yaml')} is nested deeper than 3 locations; it was not read`,
        sourceFile: `file:${tree.p('deep/l3.yaml')}`,
        entityRef: 'location:default/l3',
      },
    ]);
    const full = await processLocation({ type: 'file', target: tree.p('deep/l0.yaml') }, opts());
    expect(refs(full)).toContain('component:default/bottom');
  });

  it('gives a duplicate ref to the first file and a conflict error to the next', async () => {
    tree.write({
      'dup/root.yaml': docs(location('dups', ['./one.yaml', './two.yaml'])),
      'dup/one.yaml': component('same', { description: 'first' }),
      'dup/two.yaml': docs(component('other'), component('same', { description: 'second' })),
    });
    const out = await processLocation({ type: 'file', target: tree.p('dup/root.yaml') }, opts());
    expect(refs(out)).toEqual(['location:default/dups', 'component:default/same', 'component:default/other']);
    expect(out.result.entities[1]?.entity.metadata.description).toBe('first');
    expect(out.result.errors).toEqual([
      {
        code: 'conflict',
        message: `entity component:default/same is already defined in file:${tree.p('dup/one.yaml')}:1; this definition is ignored`,
        sourceFile: `file:${tree.p('dup/two.yaml')}`,
        line: 10,
        entityRef: 'component:default/same',
      },
    ]);
  });

  it('reports a missing target as a fetch error naming the Location, unless presence is optional', async () => {
    tree.write({
      'missing/root.yaml': docs(location('needs', ['./gone.yaml']), location('maybe', ['./also-gone.yaml'], { presence: 'optional' })),
    });
    const out = await processLocation({ type: 'file', target: tree.p('missing/root.yaml') }, opts());
    expect(out.result.errors).toEqual([
      {
        code: 'fetch',
        message: `file not found: ${tree.p('missing/gone.yaml')} (target of location:default/needs)`,
        sourceFile: `file:${tree.p('missing/gone.yaml')}`,
      },
    ]);
    expect(out.result.failedFiles).toEqual([`file:${tree.p('missing/gone.yaml')}`]);
    expect(out.rootFailed).toBe(false);
  });

  it('refuses a file over maxBytes with the limit in the message', async () => {
    tree.write({ 'big/big.yaml': component('big', { description: 'x'.repeat(500) }) });
    const readers = createReaders({ reading: reading({ maxBytes: 200 }), dataDir: tree.p('.data') });
    const out = await processLocation({ type: 'file', target: tree.p('big/big.yaml') }, opts({ readers }));
    expect(out.rootFailed).toBe(true);
    expect(out.result.errors[0]?.message).toMatch(/^file .*big\.yaml is \d+ bytes, more than the limit of 200 bytes \(catalog.reading.maxBytes\)$/);
  });

  it('keeps the good documents of a file with a syntax error and marks the file failed', async () => {
    tree.write({ 'syntax/mixed.yaml': docs(component('good-1'), 'apiVersion: [unclosed\n', component('good-2')) });
    const out = await processLocation({ type: 'file', target: tree.p('syntax/mixed.yaml') }, opts());
    expect(refs(out)).toEqual(['component:default/good-1', 'component:default/good-2']);
    expect(out.result.failedFiles).toEqual([`file:${tree.p('syntax/mixed.yaml')}`]);
    expect(out.result.errors.map((e) => [e.code, e.line])).toEqual([['yaml_syntax', 11]]);
    expect(out.result.errors[0]?.col).toBeGreaterThan(0);
  });

  it('follows the previous Location entities of a broken file, so files below it are still read', async () => {
    tree.write({
      'prev/root.yaml': 'apiVersion: [broken\n',
      'prev/child.yaml': component('child'),
    });
    const rootKey = `file:${tree.p('prev/root.yaml')}`;
    const previous: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: { name: 'old-root', namespace: 'default' },
      spec: { targets: ['./child.yaml'] },
    };
    const asked: string[] = [];
    const previousEntities = async (file: string) => {
      asked.push(file);
      return file === rootKey ? [previous] : [];
    };
    const out = await processLocation({ type: 'file', target: tree.p('prev/root.yaml') }, opts({ previousEntities }));
    expect(refs(out)).toEqual(['component:default/child']);
    expect(asked).toEqual([rootKey]);
    expect(out.result.failedFiles).toEqual([rootKey]);
  });

  it('records an invalid entity with its ref in invalidRefs and one error per issue', async () => {
    tree.write({ 'invalid/x.yaml': docs(component('ok'), component('bad', { owner: "''" })) });
    const out = await processLocation({ type: 'file', target: tree.p('invalid/x.yaml') }, opts());
    expect(refs(out)).toEqual(['component:default/ok']);
    expect(out.result.invalidRefs).toEqual(['component:default/bad']);
    expect(out.result.errors).toMatchObject([
      // second document starts on line 10; its `owner: ''` is line 17, the value at column 10
      { code: 'validation', fieldPath: 'spec.owner', line: 17, col: 10, entityRef: 'component:default/bad', sourceFile: `file:${tree.p('invalid/x.yaml')}` },
    ]);
  });

  it('stops at maxEntities with an error', async () => {
    tree.write({ 'many/x.yaml': docs(component('m1'), component('m2'), component('m3')) });
    const out = await processLocation({ type: 'file', target: tree.p('many/x.yaml') }, opts({ limits: { maxEntities: 2 } }));
    expect(refs(out)).toEqual(['component:default/m1', 'component:default/m2']);
    expect(out.result.errors).toEqual([
      { code: 'location', message: 'more than 2 entities; the rest of the location was not read', sourceFile: `file:${tree.p('many/x.yaml')}` },
    ]);
  });
});

describe('processLocation: url', () => {
  let server: Server;
  let base: string;
  const served: Record<string, string> = {};
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      const body = served[req.url ?? ''];
      res.statusCode = body === undefined ? 404 : 200;
      res.end(body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(served, {
      '/cat/all.yaml': docs(location('remote', ['./apis/x.yaml', 'local.yaml']), ''),
      '/cat/apis/x.yaml': [
        'apiVersion: backstage.io/v1alpha1',
        'kind: API',
        'metadata: { name: x }',
        'spec: { type: openapi, lifecycle: production, owner: team-a, definition: { $text: ../defs/x.oas.yaml } }',
        '',
      ].join('\n'),
      '/cat/defs/x.oas.yaml': 'openapi: 3.0.0\n',
      '/cat/local.yaml': docs(location('escape', ['/etc/passwd'], { type: 'file' })),
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('resolves targets and placeholders relative to the URL, and refuses local files from it', async () => {
    const host = new URL(base).host;
    const readers = createReaders({ reading: reading({ allow: [host] }), dataDir: tree.p('.data') });
    const out = await processLocation({ type: 'url', target: `${base}/cat/all.yaml` }, opts({ readers }));
    expect(refs(out)).toEqual(['location:default/remote', 'api:default/x', 'location:default/escape']);
    const api = out.result.entities[1];
    expect(api?.entity.spec?.definition).toBe('openapi: 3.0.0\n');
    expect(api?.source.file).toBe(`url:${base}/cat/apis/x.yaml`);
    expect(out.result.errors).toEqual([
      {
        code: 'location',
        message: `target "/etc/passwd": a file read from ${base}/cat/local.yaml may not point at local files`,
        sourceFile: `url:${base}/cat/local.yaml`,
        entityRef: 'location:default/escape',
      },
    ]);
  });

  it('fetches nothing when the host is not allowed', async () => {
    const before = hits.length;
    const out = await processLocation({ type: 'url', target: `${base}/cat/all.yaml` }, opts());
    expect(hits.length).toBe(before);
    expect(out.rootFailed).toBe(true);
    expect(out.result.errors[0]?.message).toBe(`host ${new URL(base).host} is not in catalog.reading.allow`);
  });
});
