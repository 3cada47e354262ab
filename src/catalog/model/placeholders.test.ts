// $text / $json / $yaml placeholders (Backstage PlaceholderProcessor), with a fake reader: a Map of target → text.
import { describe, expect, it } from 'vitest';
import { resolvePlaceholders, type PlaceholderReader } from './placeholders.js';

const FILES = new Map<string, string>([
  ['./petstore.oas.yaml', 'openapi: 3.0.0\ninfo:\n  title: Petstore\n'],
  ['./data.json', '{"a": [1, 2], "b": {"c": null}}'],
  ['./data.yaml', '# first\nx: 1\nlist: [a, b]\n---\nsecond: true\n'],
  ['./bad.json', '{"a": '],
  ['./bad.yaml', 'a: [1, 2\nb: 3\n'],
  ['./nested.json', '{"$text": "./petstore.oas.yaml"}'],
  ['./list.yaml', '- a\n- b\n'],
  ['./empty.yaml', '# nothing here\n'],
  ['./deep.json', `${'['.repeat(300)}${']'.repeat(300)}`],
  ['./deep.yaml', `${'['.repeat(300)}${']'.repeat(300)}\n`],
]);
const reads: string[] = [];
const read: PlaceholderReader = (target) => {
  reads.push(target);
  const text = FILES.get(target);
  return text === undefined ? Promise.reject(new Error(`ENOENT: no such file ${target}`)) : Promise.resolve(text);
};

describe('resolvePlaceholders', () => {
  it('replaces $text with the text, $json with parsed JSON, $yaml with the first YAML document', async () => {
    const input = {
      kind: 'API',
      spec: {
        definition: { $text: './petstore.oas.yaml' },
        data: { $json: './data.json' },
        list: ['keep', { $yaml: './data.yaml' }],
      },
    };
    const result = await resolvePlaceholders(input, read);
    expect(result).toEqual({
      value: {
        kind: 'API',
        spec: {
          definition: 'openapi: 3.0.0\ninfo:\n  title: Petstore\n',
          data: { a: [1, 2], b: { c: null } },
          list: ['keep', { x: 1, list: ['a', 'b'] }],
        },
      },
      errors: [],
    });
    expect(input.spec.definition).toEqual({ $text: './petstore.oas.yaml' });
  });

  it('leaves a placeholder whose read fails as written and reports it with its path', async () => {
    const input = { spec: { definition: { $text: 'https://example.com/missing.yaml' }, owner: 'team-a' } };
    const result = await resolvePlaceholders(input, read);
    expect(result.value).toEqual(input);
    expect(result.errors).toEqual([
      {
        path: 'spec.definition',
        kind: 'text',
        target: 'https://example.com/missing.yaml',
        message: '$text: could not read "https://example.com/missing.yaml": ENOENT: no such file https://example.com/missing.yaml',
      },
    ]);
  });

  it('reports JSON and YAML that do not parse, at their paths, in document order', async () => {
    const input = { spec: { items: [{ $json: './bad.json' }, { $yaml: './bad.yaml' }], ok: { $json: './data.json' } } };
    const result = await resolvePlaceholders(input, read);
    expect(result.value).toEqual({
      spec: { items: [{ $json: './bad.json' }, { $yaml: './bad.yaml' }], ok: { a: [1, 2], b: { c: null } } },
    });
    expect(result.errors.map((e) => [e.path, e.kind, e.target])).toEqual([
      ['spec.items[0]', 'json', './bad.json'],
      ['spec.items[1]', 'yaml', './bad.yaml'],
    ]);
    expect(result.errors[0]?.message).toMatch(/^\$json: "\.\/bad\.json" is not valid JSON: /);
    expect(result.errors[1]?.message).toMatch(/^\$yaml: "\.\/bad\.yaml" is not valid YAML: /);
  });

  it('rejects a placeholder key next to other keys, and a non-string target', async () => {
    reads.length = 0;
    const input = { a: { $text: './petstore.oas.yaml', extra: 1 }, b: { $json: 42 } };
    const result = await resolvePlaceholders(input, read);
    expect(result.value).toEqual(input);
    expect(result.errors).toEqual([
      { path: 'a', kind: 'text', target: './petstore.oas.yaml', message: 'placeholder $text must be the only key of its object (found also: extra)' },
      { path: 'b', kind: 'json', target: '', message: 'placeholder $json needs a non-empty string target (a path or URL), got number' },
    ]);
    expect(reads).toEqual([]);
  });

  it('walks into objects with other $ keys (JSON Schema) and leaves them as they are', async () => {
    const input = { spec: { parameters: { $schema: 'x', properties: { a: { $ref: '#/defs/a' } }, text: { $text: './petstore.oas.yaml' } } } };
    const result = await resolvePlaceholders(input, read);
    expect(result).toEqual({
      value: {
        spec: {
          parameters: { $schema: 'x', properties: { a: { $ref: '#/defs/a' } }, text: 'openapi: 3.0.0\ninfo:\n  title: Petstore\n' },
        },
      },
      errors: [],
    });
  });

  it('does not resolve placeholders inside resolved values', async () => {
    const result = await resolvePlaceholders({ x: { $json: './nested.json' } }, read);
    expect(result).toEqual({ value: { x: { $text: './petstore.oas.yaml' } }, errors: [] });
  });

  it('resolves a placeholder given as the value itself (path "") and passes scalars through', async () => {
    expect(await resolvePlaceholders({ $text: './data.json' }, read)).toEqual({ value: '{"a": [1, 2], "b": {"c": null}}', errors: [] });
    expect(await resolvePlaceholders('plain', read)).toEqual({ value: 'plain', errors: [] });
    expect(await resolvePlaceholders(null, read)).toEqual({ value: null, errors: [] });
    const missing = await resolvePlaceholders({ $yaml: './nope.yaml' }, read);
    expect(missing.errors.map((e) => e.path)).toEqual(['']);
  });

  it('takes any YAML value (not only mappings), and rejects empty or too deeply nested targets', async () => {
    const input = { list: { $yaml: './list.yaml' }, empty: { $yaml: './empty.yaml' }, dj: { $json: './deep.json' }, dy: { $yaml: './deep.yaml' } };
    const result = await resolvePlaceholders(input, read);
    expect(result.value).toEqual({ ...input, list: ['a', 'b'] });
    expect(result.errors.map((e) => [e.path, e.message])).toEqual([
      ['empty', '$yaml: "./empty.yaml" is not valid YAML: no YAML document found (line 1, column 1)'],
      ['dj', '$json: "./deep.json" holds JSON nested more than 256 levels deep'],
      [
        'dy',
        '$yaml: "./deep.yaml" is not valid YAML: YAML nested more than 256 levels deep; this document and the rest of the file were not read (line 1, column 258)',
      ],
    ]);
  });
});
