import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config.js';
import type { IngestError } from '../storage/types.js';
import { processLocation } from './process-location.js';
import { createReaders } from './readers/index.js';
import { tempTree } from './testing/trees.js';

/**
 * The project's negative fixtures (test/fixtures/catalog/invalid/), ingested as one glob location. Expected
 * outcomes are those of test/fixtures/catalog/README.md (worked out by reading each file): one bad entity or file
 * never blocks the others.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const DIR = path.resolve(here, '../../../test/fixtures/catalog/invalid');
const data = tempTree();
afterAll(() => data.remove());

describe.skipIf(!existsSync(DIR))('negative fixtures', async () => {
  const readers = createReaders({ reading: defaultConfig().catalog.reading, dataDir: data.dir });
  const { result } = await processLocation({ type: 'file', target: `${DIR}/*.yaml` }, { readers });
  const key = (f: string) => `file:${path.join(DIR, f)}`;
  const errorsOf = (f: string): IngestError[] => result.errors.filter((e) => e.sourceFile === key(f));
  const refsFrom = (f: string) => result.entities.filter((e) => e.source.file === key(f)).map((e) => e.ref);

  it('bounds the alias bomb: a yaml_syntax error, no entity, the file kept as failed', () => {
    expect(refsFrom('alias-bomb.yaml')).toEqual([]);
    expect(errorsOf('alias-bomb.yaml')).toMatchObject([
      {
        code: 'yaml_syntax',
        line: 1,
        col: 1,
        message: 'YAML aliases expand more than 100 times in this document (a "billion laughs" alias bomb?); the document was not read',
      },
    ]);
    expect(result.failedFiles).toContain(key('alias-bomb.yaml'));
  });

  it.each(['bad-name-leading-dash.yaml', 'bad-name-space.yaml', 'bad-name-too-long.yaml'])(
    '%s: a validation error on metadata.name, no entity',
    (f) => {
      expect(refsFrom(f)).toEqual([]);
      // The value of `name:` on line 5 starts at column 9 ("  name: " is 8 characters).
      expect(errorsOf(f)).toMatchObject([{ code: 'validation', fieldPath: 'metadata.name', line: 5, col: 9 }]);
    },
  );

  it('bad-fields.yaml: every issue reported with its field path, in order, without a ref', () => {
    expect(errorsOf('bad-fields.yaml').map((e) => [e.code, e.fieldPath, e.entityRef])).toEqual(
      ['status', 'metadata.namespace', 'metadata.labels.bad key', 'metadata.tags[1]', 'metadata.links[0].url', 'spec.owner', 'spec.providesApis'].map(
        (p) => ['validation', p, undefined],
      ),
    );
  });

  it('broken YAML: yaml_syntax with line and column; the good documents of a multi-document file still count', () => {
    expect(errorsOf('broken-yaml.yaml')[0]).toMatchObject({ code: 'yaml_syntax', line: 5, col: 1 });
    expect(errorsOf('broken-yaml.yaml')[0]?.message).toContain('Tabs are not allowed as indentation');
    expect(refsFrom('broken-yaml-multi.yaml')).toEqual(['component:default/before-broken', 'component:default/after-broken']);
    expect(errorsOf('broken-yaml-multi.yaml').map((e) => [e.code, e.line, e.col])).toContainEqual(['yaml_syntax', 14, 1]);
    expect(result.entities.find((e) => e.ref === 'component:default/after-broken')?.source.line).toBe(20);
    expect(result.failedFiles).toEqual(expect.arrayContaining([key('broken-yaml.yaml'), key('broken-yaml-multi.yaml')]));
  });

  it('duplicate refs: dup-a.yaml (first in order) keeps it, dup-b.yaml gets a conflict', () => {
    expect(refsFrom('dup-a.yaml')).toEqual(['component:default/duplicated']);
    expect(refsFrom('dup-b.yaml')).toEqual([]);
    expect(errorsOf('dup-b.yaml')).toMatchObject([{ code: 'conflict', entityRef: 'component:default/duplicated', line: 1 }]);
  });

  it('a Location pointing at a missing file: the Location is stored, the target is a fetch error', () => {
    expect(refsFrom('location-missing-file.yaml')).toEqual(['location:default/points-to-missing-file']);
    const missing = `file:${path.join(DIR, 'does-not-exist.yaml')}`;
    expect(result.errors.filter((e) => e.sourceFile === missing)).toMatchObject([{ code: 'fetch' }]);
    expect(result.failedFiles).toContain(missing);
  });

  it('missing required fields: each entity invalid, with its ref in invalidRefs', () => {
    expect(refsFrom('missing-required.yaml')).toEqual([]);
    const errors = errorsOf('missing-required.yaml');
    const byRef = (ref: string) => errors.filter((e) => e.entityRef === ref).map((e) => e.fieldPath);
    expect(byRef('component:default/component-missing-lifecycle-owner')).toEqual(['spec.lifecycle', 'spec.owner']);
    expect(byRef('api:default/api-missing-definition')).toEqual(['spec.definition']);
    expect(byRef('system:default/system-missing-owner')).toEqual(['spec.owner']);
    expect(byRef('domain:default/domain-missing-owner')).toEqual(['spec.owner']);
    expect(byRef('resource:default/resource-missing-type')).toEqual(['spec.type']);
    expect(byRef('group:default/group-missing-children')).toEqual(['spec.children']);
    expect(byRef('user:default/user-missing-memberof')).toEqual(['spec.memberOf']);
    expect(byRef('location:default/location-missing-target')).toEqual(['spec.target']);
    expect(byRef('template:default/template-missing-steps')).toEqual(['spec.steps']);
    expect(byRef('component:default/component-missing-spec')).toEqual(['spec']);
    const lines = [...new Map(errors.map((e) => [e.entityRef, e.line])).values()];
    // A missing field points at its nearest existing parent: each entity's `spec:` key (the last has no spec at all:
    // its first line).
    expect(lines).toEqual([6, 13, 22, 29, 35, 42, 49, 57, 64, 67]);
    expect(result.invalidRefs).toEqual(
      expect.arrayContaining(['component:default/component-missing-lifecycle-owner', 'user:default/user-missing-memberof']),
    );
  });

  it('multi-doc-mixed.yaml: one bad entity, two good ones stored', () => {
    expect(refsFrom('multi-doc-mixed.yaml')).toEqual(['component:default/mixed-good-one', 'component:default/mixed-good-two']);
    expect(errorsOf('multi-doc-mixed.yaml').map((e) => [e.code, e.fieldPath, e.line, e.entityRef])).toEqual([
      ['validation', 'metadata.tags[0]', 14, 'component:default/mixed-bad'], // `Java` in `tags: [Java]`
      ['validation', 'spec.owner', 15, 'component:default/mixed-bad'], // missing: its parent `spec:`
    ]);
    expect(result.invalidRefs).toContain('component:default/mixed-bad');
  });

  it('a document that is not a mapping is reported, nothing emitted', () => {
    expect(refsFrom('not-a-mapping.yaml')).toEqual([]);
    expect(errorsOf('not-a-mapping.yaml')).toMatchObject([
      {
        code: 'yaml_syntax',
        line: 2,
        col: 1,
        message: 'a catalog document must be a mapping (an entity with apiVersion, kind, metadata), got a sequence',
      },
    ]);
  });

  it('a missing $text target: the entity is shown with the placeholder as written and a placeholder error', () => {
    const api = result.entities.find((e) => e.ref === 'api:default/missing-definition');
    expect(api?.entity.spec?.definition).toEqual({ $text: './missing-definition.oas.yaml' });
    expect(api?.errors).toMatchObject([
      { code: 'placeholder', fieldPath: 'spec.definition', entityRef: 'api:default/missing-definition', line: 10, col: 3 },
    ]);
    expect(api?.errors[0]?.message).toContain(`file not found: ${path.join(DIR, 'missing-definition.oas.yaml')}`);
    expect(errorsOf('placeholder-missing.yaml')).toEqual([]); // entity-bound: on the entity, not the location list
  });
});
