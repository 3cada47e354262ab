/** The action registry (built-ins, schemas for `GET /v2/actions`) and the TemplateFiles sources. */
import { describe, expect, it } from 'vitest';
import { isTarmacError } from '../../core/errors.js';
import { createActionRegistry, templateFilesFromContents } from './index.js';
import { stubAction } from './testing.js';

describe('createActionRegistry', () => {
  it('holds the eight built-ins, each with an input schema, sorted by id', () => {
    const registry = createActionRegistry();
    expect(registry.list().map((a) => a.id)).toEqual([
      'catalog:write', 'debug:log', 'fetch:plain', 'fetch:plain:file', 'fetch:template', 'fetch:template:file', 'fs:delete', 'fs:rename',
    ]);
    for (const a of registry.list()) {
      expect(a.schema.input.type).toBe('object');
      expect(a.supportsDryRun).toBe(true);
    }
    expect(registry.get('fetch:template')?.schema.input.required).toEqual(['url']);
  });

  it('adds actions and refuses a second one with the same id', () => {
    const registry = createActionRegistry();
    registry.register(stubAction('publish:git'));
    expect(registry.get('publish:git')?.supportsDryRun).toBe(false);
    let error: unknown;
    try {
      registry.register(stubAction('fetch:template'));
    } catch (err) {
      error = err;
    }
    expect(isTarmacError(error, 'CONFLICT')).toBe(true);
  });
});

describe('templateFilesFromContents', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it('lists and reads files by folder', async () => {
    const files = templateFilesFromContents([
      { path: 'template.yaml', base64Content: b64('t') },
      { path: './skeleton/a.txt', base64Content: b64('a') },
      { path: 'skeleton/sub/b.txt', base64Content: b64('b') },
    ]);
    expect(await files.list('./skeleton/')).toEqual(['skeleton/a.txt', 'skeleton/sub/b.txt']);
    expect(await files.list('')).toEqual(['skeleton/a.txt', 'skeleton/sub/b.txt', 'template.yaml']);
    expect((await files.read('skeleton/sub/b.txt')).toString()).toBe('b');
    await expect(files.read('skeleton/none')).rejects.toThrow('not found');
  });

  it.each([
    ['../x', 'directoryContents[0].path "../x" leaves the template\'s folder'],
    ['/etc/passwd', 'directoryContents[0].path "/etc/passwd" must be relative to the template\'s folder'],
    ['a/../../x', 'leaves the template\'s folder'],
  ])('refuses %s', (p, message) => {
    expect(() => templateFilesFromContents([{ path: p, base64Content: '' }])).toThrow(message);
  });
});
