// Envelope and metadata rules, from Backstage catalog-model (KubernetesValidatorFunctions, FieldFormatEntityPolicy,
// NoForeignRootFieldsEntityPolicy, EntityMeta.schema.json) and the table in shared/notes/backstage-reference.md §4(c).
import { describe, expect, it } from 'vitest';
import { isPlaceholder, validateEntity, type ValidationIssue } from './validate.js';

const NAME_RULE = 'must match ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$ (1–63 characters)';

/** A valid Component with `metadata` fields replaced/added. */
function component(metadata: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'artist-lookup', ...metadata },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    ...extra,
  };
}

function issuesOf(raw: unknown): ValidationIssue[] {
  const result = validateEntity(raw);
  return result.ok ? [] : result.issues;
}
const pathsOf = (raw: unknown): string[] => issuesOf(raw).map((i) => i.path);

describe('validateEntity: a valid entity', () => {
  it('returns a copy with namespace defaulted and uid/etag removed, leaving the input alone', () => {
    const raw = component({ uid: 'abc', etag: 'def', description: 'Artist Lookup' });
    const result = validateEntity(raw);
    expect(result).toEqual({
      ok: true,
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'artist-lookup', description: 'Artist Lookup', namespace: 'default' },
        spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
      },
    });
    expect(raw.metadata).toEqual({ name: 'artist-lookup', uid: 'abc', etag: 'def', description: 'Artist Lookup' });
  });

  it('keeps an explicit namespace and unknown metadata keys', () => {
    const result = validateEntity(component({ namespace: 'development', custom: { x: 1 } }));
    expect(result.ok && result.entity.metadata).toEqual({ name: 'artist-lookup', namespace: 'development', custom: { x: 1 } });
  });
});

describe('validateEntity: metadata.name', () => {
  it.each(['a', 'a--b', 'a..b', 'a_b', 'A1', '9', 'Team.A-1_x', 'a'.repeat(63)])('accepts %j', (name) => {
    expect(issuesOf(component({ name }))).toEqual([]);
  });

  it.each(['my service', '-a', 'a-', '_a', 'a_', '.a', 'a.', 'a/b', 'a:b', 'ä', '', 'a'.repeat(64)])('rejects %j', (name) => {
    expect(pathsOf(component({ name }))).toEqual(['metadata.name']);
  });

  it('says which value breaks which rule', () => {
    expect(issuesOf(component({ name: 'my service' }))).toEqual([
      { path: 'metadata.name', message: `metadata.name "my service" ${NAME_RULE}` },
    ]);
    expect(issuesOf(component({ name: 'a'.repeat(64) }))[0]?.message).toBe(
      `metadata.name "${'a'.repeat(64)}" ${NAME_RULE}; it has 64 characters`,
    );
  });

  it('requires a string name', () => {
    expect(issuesOf(component({ name: undefined }))).toEqual([{ path: 'metadata.name', message: 'metadata.name is required' }]);
    expect(issuesOf(component({ name: 42 }))).toEqual([
      { path: 'metadata.name', message: 'metadata.name must be a string, got number' },
    ]);
  });
});

describe('validateEntity: namespace, kind, apiVersion', () => {
  it.each(['default', 'development', 'a--b', 'team-1', 'a'.repeat(63)])('accepts namespace %j', (namespace) => {
    expect(issuesOf(component({ namespace }))).toEqual([]);
  });

  it.each(['AZ09', 'Default', 'a_b', '-a', 'a-', 'a.b', '', 'a'.repeat(64)])('rejects namespace %j', (namespace) => {
    expect(pathsOf(component({ namespace }))).toEqual(['metadata.namespace']);
  });

  it.each(['Thing', 'MyKind2', 'x', 'X'.repeat(63)])('accepts kind %j (other kinds: envelope only)', (kind) => {
    expect(issuesOf({ ...component(), kind, spec: { anything: [1, 2] } })).toEqual([]);
  });

  it.each(['2Kind', 'my-kind', 'my_kind', '', 'X'.repeat(64)])('rejects kind %j', (kind) => {
    expect(pathsOf({ ...component(), kind })).toEqual(['kind']);
  });

  it.each(['backstage.io/v1alpha1', 'v1', 'example.com/v2beta3', 'a.b.c/V1'])('accepts apiVersion %j', (apiVersion) => {
    expect(issuesOf({ ...component(), apiVersion, kind: 'Thing' })).toEqual([]);
  });

  it.each(['backstage.io/v1-alpha1', 'Backstage.io/v1', 'a/b/c', '/v1', 'backstage.io/', ''])(
    'rejects apiVersion %j',
    (apiVersion) => {
      expect(pathsOf({ ...component(), apiVersion, kind: 'Thing' })).toEqual(['apiVersion']);
    },
  );
});

describe('validateEntity: the envelope', () => {
  it('rejects root keys other than apiVersion, kind, metadata, spec (relations and status included)', () => {
    expect(pathsOf(component({}, { relations: [], status: { items: [] }, extra: 1 }))).toEqual([
      'relations',
      'status',
      'extra',
    ]);
  });

  it('rejects what is not an object', () => {
    for (const raw of [null, 'x', [component()], 3]) expect(pathsOf(raw)).toEqual(['']);
  });

  it('requires apiVersion, kind and metadata, and a spec object when present', () => {
    expect(issuesOf({})).toEqual([
      { path: 'apiVersion', message: 'apiVersion is required' },
      { path: 'kind', message: 'kind is required' },
      { path: 'metadata', message: 'metadata is required (an object with at least a name)' },
    ]);
    expect(pathsOf({ ...component(), metadata: ['x'] })).toEqual(['metadata']);
    expect(pathsOf({ ...component(), kind: 'Thing', spec: 'x' })).toEqual(['spec']);
  });

  it('reports every issue of an entity, with the ref when kind, name and namespace are valid', () => {
    const raw = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'many-problems', tags: ['ok', 'Bad Tag'], links: [{ url: 'nope' }] },
      spec: { type: 'service', owner: 'group:', providesApis: 'an-api' },
      status: {},
    };
    const result = validateEntity(raw);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.ref).toBe('component:default/many-problems');
    expect(pathsOf(raw)).toEqual([
      'status',
      'metadata.tags[1]',
      'metadata.links[0].url',
      'spec.lifecycle',
      'spec.owner',
      'spec.providesApis',
    ]);
  });

  it('sets no ref when the name or namespace is invalid', () => {
    const bad = validateEntity(component({ name: 'my service' }));
    expect(bad.ok === false && bad.ref).toBeUndefined();
    const badNs = validateEntity(component({ namespace: 'Dev' }));
    expect(badNs.ok === false && badNs.ref).toBeUndefined();
    const ok = validateEntity({ ...component({ namespace: 'dev' }), spec: {} });
    expect(ok.ok === false && ok.ref).toBe('component:dev/artist-lookup');
  });
});

describe('isPlaceholder', () => {
  it('is true for exactly one $text/$json/$yaml key with a string value', () => {
    expect(isPlaceholder({ $text: './a.yaml' })).toBe(true);
    expect(isPlaceholder({ $json: 'https://x/y.json' })).toBe(true);
    expect(isPlaceholder({ $yaml: '' })).toBe(true);
  });

  it('is false otherwise', () => {
    for (const v of [{ $text: 1 }, { $text: 'a', b: 1 }, { $ref: '#/x' }, { text: 'a' }, '$text', null, [{ $text: 'a' }]]) {
      expect(isPlaceholder(v)).toBe(false);
    }
  });
});
