import { describe, expect, it } from 'vitest';
import { parseFilterParams } from './filter-params.js';
import { SqlParams, compileFilter, escapeLike, fieldJsonPath, itemKeys, storedRelation } from './sql.js';

describe('SQL compilation', () => {
  it('sends every value as a parameter', () => {
    const p = new SqlParams();
    const sql = compileFilter(parseFilterParams("spec.type=x'; DROP TABLE t; --") ?? { op: 'all', nodes: [] }, p);
    expect(sql).not.toContain('DROP');
    expect(sql).toBe('e.search_keys @> $1::text[]');
    expect(p.values).toEqual([["spec.type=x'; drop table t; --"]]);
  });

  it('uses the lowercase columns for kind, name, namespace and uid', () => {
    const p = new SqlParams();
    expect(compileFilter(parseFilterParams('kind=component,metadata.name=a') ?? { op: 'all', nodes: [] }, p)).toBe(
      '(e.kind = $1 AND e.sort_name = $2)',
    );
    expect(compileFilter({ op: 'exists', path: 'metadata.namespace' }, new SqlParams())).toBe('TRUE');
  });

  it('reads `a.b.c` also as item `c` of array `a.b` (Backstage `metadata.tags.java`)', () => {
    expect(itemKeys('metadata.tags.java')).toEqual(['metadata.tags=java', 'metadata=tags.java']);
    const p = new SqlParams();
    compileFilter({ op: 'in', path: 'metadata.tags.java', values: ['true'] }, p);
    expect(p.values).toEqual([['metadata.tags.java=true', 'metadata.tags=java', 'metadata=tags.java']]);
  });

  it('reads inverse relation types from the canonical rows', () => {
    expect(storedRelation('ownedBy')).toEqual({ type: 'ownedBy', forward: true });
    expect(storedRelation('ownerOf')).toEqual({ type: 'ownedBy', forward: false });
    expect(storedRelation('childOf')).toEqual({ type: 'parentOf', forward: false });
    const p = new SqlParams();
    const sql = compileFilter({ op: 'relation', type: 'hasmember', targets: ['user:default/a'] }, p);
    expect(sql).toContain('SELECT r1.target_ref FROM catalog_relations r1');
    expect(p.values).toEqual(['memberOf', ['user:default/a']]);
  });

  it('escapes LIKE wildcards', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });

  it('builds quoted jsonpaths, keeping annotation keys whole', () => {
    expect(fieldJsonPath('spec.type')).toBe('$."spec"."type"[*]');
    expect(fieldJsonPath('metadata.annotations.backstage.io/techdocs-ref')).toBe(
      '$."metadata"."annotations"."backstage.io/techdocs-ref"[*]',
    );
    expect(() => fieldJsonPath('spec."x')).toThrow(/invalid field path/);
  });
});
