// The negative fixtures of test/fixtures/catalog/invalid/ produce exactly what test/fixtures/catalog/README.md says
// (ingestion and CLI tests rely on that table). Expected values were worked out from the fixture files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolvePlaceholders } from './placeholders.js';
import { validateEntity, type ValidationResult } from './validate.js';
import { parseYamlDocuments } from './yaml.js';

const INVALID = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/catalog/invalid');
const NAME_RULE = 'must match ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$ (1–63 characters)';

/** Each document of a fixture: its line, and its validation issues as `path` strings (or 'valid'). */
function check(file: string): { line: number; ref?: string; paths: string[] | 'valid' }[] {
  const { documents, errors } = parseYamlDocuments(readFileSync(path.join(INVALID, file), 'utf8'));
  expect(errors).toEqual([]);
  return documents.map((d) => {
    const result: ValidationResult = validateEntity(d.value);
    if (result.ok) return { line: d.line, paths: 'valid' as const };
    return { line: d.line, ...(result.ref ? { ref: result.ref } : {}), paths: result.issues.map((i) => i.path) };
  });
}
const issues = (file: string): unknown => {
  const doc = parseYamlDocuments(readFileSync(path.join(INVALID, file), 'utf8')).documents[0];
  const result = validateEntity(doc?.value);
  return result.ok ? [] : result.issues;
};

describe('negative fixtures', () => {
  it('bad names: space, leading dash, 64 characters (no ref: the name is invalid)', () => {
    expect(issues('bad-name-space.yaml')).toEqual([{ path: 'metadata.name', message: `metadata.name "my service" ${NAME_RULE}` }]);
    expect(issues('bad-name-leading-dash.yaml')).toEqual([
      { path: 'metadata.name', message: `metadata.name "-leading-dash" ${NAME_RULE}` },
    ]);
    expect(issues('bad-name-too-long.yaml')).toEqual([
      { path: 'metadata.name', message: `metadata.name "${'a'.repeat(64)}" ${NAME_RULE}; it has 64 characters` },
    ]);
    expect(check('bad-name-space.yaml')).toEqual([{ line: 1, paths: ['metadata.name'] }]);
  });

  it('missing-required.yaml: one entity per kind, each missing its required fields', () => {
    const ref = (kind: string, name: string): string => `${kind}:default/${name}`;
    expect(check('missing-required.yaml')).toEqual([
      { line: 1, ref: ref('component', 'component-missing-lifecycle-owner'), paths: ['spec.lifecycle', 'spec.owner'] },
      { line: 9, ref: ref('api', 'api-missing-definition'), paths: ['spec.definition'] },
      { line: 18, ref: ref('system', 'system-missing-owner'), paths: ['spec.owner'] },
      { line: 25, ref: ref('domain', 'domain-missing-owner'), paths: ['spec.owner'] },
      { line: 31, ref: ref('resource', 'resource-missing-type'), paths: ['spec.type'] },
      { line: 38, ref: ref('group', 'group-missing-children'), paths: ['spec.children'] },
      { line: 45, ref: ref('user', 'user-missing-memberof'), paths: ['spec.memberOf'] },
      { line: 53, ref: ref('location', 'location-missing-target'), paths: ['spec.target'] },
      { line: 60, ref: ref('template', 'template-missing-steps'), paths: ['spec.steps'] },
      { line: 67, ref: ref('component', 'component-missing-spec'), paths: ['spec'] },
    ]);
  });

  it('multi-doc-mixed.yaml: two valid entities around one invalid one', () => {
    expect(check('multi-doc-mixed.yaml')).toEqual([
      { line: 1, paths: 'valid' },
      { line: 10, ref: 'component:default/mixed-bad', paths: ['metadata.tags[0]', 'spec.owner'] },
      { line: 19, paths: 'valid' },
    ]);
  });

  it('bad-fields.yaml: every issue of one entity is reported', () => {
    expect(check('bad-fields.yaml')).toEqual([
      {
        line: 1,
        paths: [
          'status',
          'metadata.namespace',
          'metadata.labels.bad key',
          'metadata.tags[1]',
          'metadata.links[0].url',
          'spec.owner',
          'spec.providesApis',
        ],
      },
    ]);
  });

  it('valid entities whose trouble is for ingestion: duplicates, missing Location target, missing $text target', async () => {
    expect(check('dup-a.yaml')).toEqual([{ line: 1, paths: 'valid' }]);
    expect(check('dup-b.yaml')).toEqual([{ line: 1, paths: 'valid' }]);
    expect(check('location-missing-file.yaml')).toEqual([{ line: 1, paths: 'valid' }]);
    expect(check('placeholder-missing.yaml')).toEqual([{ line: 1, paths: 'valid' }]);
    const doc = parseYamlDocuments(readFileSync(path.join(INVALID, 'placeholder-missing.yaml'), 'utf8')).documents[0];
    const { errors } = await resolvePlaceholders(doc?.value, (t) => Promise.reject(new Error(`ENOENT ${t}`)));
    expect(errors.map((e) => [e.path, e.kind, e.target])).toEqual([['spec.definition', 'text', './missing-definition.oas.yaml']]);
  });

  it('YAML errors: positions and surviving documents', () => {
    const parse = (file: string): ReturnType<typeof parseYamlDocuments> =>
      parseYamlDocuments(readFileSync(path.join(INVALID, file), 'utf8'));
    expect(parse('broken-yaml.yaml')).toEqual({
      documents: [],
      errors: [{ message: 'Tabs are not allowed as indentation', line: 5, col: 1 }],
    });
    const multi = parse('broken-yaml-multi.yaml');
    expect(multi.errors).toEqual([{ message: 'Tabs are not allowed as indentation', line: 14, col: 1 }]);
    expect(multi.documents.map((d) => d.line)).toEqual([1, 20]);
    const bomb = parse('alias-bomb.yaml');
    expect(bomb.documents).toEqual([]);
    expect(bomb.errors.map((e) => [e.line, e.col])).toEqual([[1, 1]]);
    expect(parse('not-a-mapping.yaml').errors.map((e) => [e.line, e.col])).toEqual([[2, 1]]);
  });
});
