// Multi-document YAML: line numbers, per-document errors with line/col, alias bomb, limits.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH, parseYamlDocuments } from './yaml.js';

const INVALID = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/catalog/invalid');
const fixture = (name: string): string => readFileSync(path.join(INVALID, name), 'utf8');

describe('parseYamlDocuments', () => {
  it('splits documents and gives each its start line and own text', () => {
    const text = [
      '# leading comment', // 1
      'kind: A', // 2
      'metadata: {name: a}', // 3
      '---', // 4
      '# about b', // 5
      'kind: B', // 6
      '---', // 7
      '', // 8
      'kind: C', // 9
      '---', // 10
      '',
    ].join('\n');
    const { documents, errors } = parseYamlDocuments(text);
    expect(errors).toEqual([]);
    expect(documents).toEqual([
      { value: { kind: 'A', metadata: { name: 'a' } }, line: 1, text: '# leading comment\nkind: A\nmetadata: {name: a}\n' },
      { value: { kind: 'B' }, line: 5, text: '# about b\nkind: B\n' },
      { value: { kind: 'C' }, line: 9, text: 'kind: C\n' },
    ]);
  });

  it('skips empty documents (trailing ---, comments only, ~) and empty input', () => {
    expect(parseYamlDocuments('---\n# nothing\n---\n~\n---\na: 1\n---\n')).toEqual({
      documents: [{ value: { a: 1 }, line: 6, text: 'a: 1\n' }],
      errors: [],
    });
    expect(parseYamlDocuments('')).toEqual({ documents: [], errors: [] });
  });

  it('reports a tab used as indentation at its line and column (fixture broken-yaml.yaml)', () => {
    const { documents, errors } = parseYamlDocuments(fixture('broken-yaml.yaml'));
    expect(documents).toEqual([]);
    expect(errors).toEqual([{ message: 'Tabs are not allowed as indentation', line: 5, col: 1 }]);
  });

  it('keeps the other documents of a file when one has a syntax error (fixture broken-yaml-multi.yaml)', () => {
    const { documents, errors } = parseYamlDocuments(fixture('broken-yaml-multi.yaml'));
    expect(documents.map((d) => [(d.value as { metadata: { name: string } }).metadata.name, d.line])).toEqual([
      ['before-broken', 1],
      ['after-broken', 20],
    ]);
    expect(errors).toEqual([{ message: 'Tabs are not allowed as indentation', line: 14, col: 1 }]);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const { documents, errors } = parseYamlDocuments('a: 1\nb:\n  c: 1\n  c: 2\n---\nok: true\n');
    expect(documents.map((d) => d.value)).toEqual([{ ok: true }]);
    expect(errors).toEqual([{ message: 'Map keys must be unique', line: 4, col: 3 }]);
  });

  it('stops an alias bomb with a clear error and keeps the rest of the file', () => {
    const bomb = fixture('alias-bomb.yaml');
    const { documents, errors } = parseYamlDocuments(`${bomb}---\nkind: After\n`);
    expect(documents.map((d) => d.value)).toEqual([{ kind: 'After' }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 1, col: 1 });
    expect(errors[0]?.message).toMatch(/aliases expand more than 100 times.*alias bomb/);
  });

  it('allows ordinary aliases and honours maxAliasCount', () => {
    const text = 'base: &b {x: 1}\nuse1: *b\nuse2: *b\n';
    expect(parseYamlDocuments(text).documents[0]?.value).toEqual({ base: { x: 1 }, use1: { x: 1 }, use2: { x: 1 } });
    expect(parseYamlDocuments(text, { maxAliasCount: 0 }).errors).toHaveLength(1);
  });

  it('reports an alias to an unknown anchor', () => {
    const { errors } = parseYamlDocuments('a: 1\n---\nb: *nope\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 3, col: 1 });
    expect(errors[0]?.message).toContain('nope');
  });

  it('rejects documents that are not mappings, at the value position (fixture not-a-mapping.yaml)', () => {
    expect(parseYamlDocuments(fixture('not-a-mapping.yaml'))).toEqual({
      documents: [],
      errors: [
        {
          message: 'a catalog document must be a mapping (an entity with apiVersion, kind, metadata), got a sequence',
          line: 2,
          col: 1,
        },
      ],
    });
    const { errors } = parseYamlDocuments('a: 1\n---\n  just text\n');
    expect(errors).toEqual([
      { message: 'a catalog document must be a mapping (an entity with apiVersion, kind, metadata), got a string', line: 3, col: 3 },
    ]);
  });

  it('stops after maxDocuments documents', () => {
    const { documents, errors } = parseYamlDocuments('a: 1\n---\nb: 2\n---\nc: 3\n', { maxDocuments: 2 });
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(errors).toEqual([{ message: 'the file has more than 2 YAML documents; the rest was not read', line: 5, col: 1 }]);
  });

  it('stops at a document nested too deep for the parser, keeping the documents before it', () => {
    expect(MAX_NESTING_DEPTH).toBe(256);
    const flow = (n: number): string => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`; // a mapping + n sequences: n + 1 levels
    expect(parseYamlDocuments(flow(255)).errors).toEqual([]);
    const message = 'YAML nested more than 256 levels deep; this document and the rest of the file were not read';
    // Line 3 is `a: [[[…`: the parser stack is document + mapping + sequences, so the 257th `[` (column 4 + 256) trips it.
    const hostile = `first: 1\n---\n${flow(20_000)}---\nlast: 2\n`;
    expect(parseYamlDocuments(hostile)).toEqual({
      documents: [{ value: { first: 1 }, line: 1, text: 'first: 1\n' }],
      errors: [{ message, line: 3, col: 260 }],
    });
    const compact = `list:\n${'- '.repeat(20_000)}x\n`;
    expect(parseYamlDocuments(compact).errors.map((e) => [e.message, e.line])).toEqual([[message, 2]]);
  });
});

describe('parseYamlDocuments fast and careful paths agree', () => {
  // The same valid multi-document text, once plain (js-yaml fast path) and once with an anchor, which sends the
  // whole file down the careful `yaml` path: values, lines and texts must be identical.
  const body = (anchor: string) =>
    `# leading comment\napiVersion: v1\nkind: Component\nmetadata:\n  name: a\n  description: "x${anchor}"\n---\n\n` +
    `apiVersion: v1\nkind: Group\nmetadata: {name: g}\nspec:\n  children: []\n---\n# only a comment\n---\nkind: User\n`;

  it('returns the same documents with and without the fast path', () => {
    const fast = parseYamlDocuments(body(''));
    const careful = parseYamlDocuments(body('').replace('kind: User', 'kind: &k User'));
    expect(fast.errors).toEqual([]);
    expect(fast.documents.map((d) => d.line)).toEqual([1, 9, 17]);
    expect(careful.documents.map((d) => d.line)).toEqual([1, 9, 17]);
    expect(fast.documents.map((d) => d.text)).toEqual(careful.documents.map((d) => d.text.replace('&k ', '')));
    expect(fast.documents.map((d) => d.value)).toEqual(careful.documents.map((d) => d.value));
    expect(fast.documents[1]?.value).toEqual({ apiVersion: 'v1', kind: 'Group', metadata: { name: 'g' }, spec: { children: [] } });
  });

  it('keeps YAML 1.2 core scalars: dates stay strings', () => {
    const { documents } = parseYamlDocuments('kind: X\nmetadata:\n  name: a\n  created: 2024-01-02\n  on: yes\n');
    expect(documents[0]?.value).toEqual({ kind: 'X', metadata: { name: 'a', created: '2024-01-02', on: 'yes' } });
  });
});
