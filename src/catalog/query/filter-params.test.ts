import { describe, expect, it } from 'vitest';
import { isTarmacError } from '../../core/errors.js';
import { parseFilterParams } from './filter-params.js';

// Expected ASTs written from Backstage's documented semantics (shared/notes/backstage-reference.md §5).
describe('parseFilterParams', () => {
  it('returns undefined when there is no condition', () => {
    expect(parseFilterParams(undefined)).toBeUndefined();
    expect(parseFilterParams([])).toBeUndefined();
    expect(parseFilterParams(['', ' , ,'])).toBeUndefined();
  });

  it('lowercases keys and values (case-insensitive matching)', () => {
    expect(parseFilterParams('Kind=Component')).toEqual({ op: 'in', path: 'kind', values: ['component'] });
  });

  it('ANDs comma-separated conditions and ORs repeated parameters', () => {
    expect(parseFilterParams(['kind=component,spec.type=service', 'kind=api'])).toEqual({
      op: 'any',
      nodes: [
        {
          op: 'all',
          nodes: [
            { op: 'in', path: 'kind', values: ['component'] },
            { op: 'in', path: 'spec.type', values: ['service'] },
          ],
        },
        { op: 'in', path: 'kind', values: ['api'] },
      ],
    });
  });

  it('treats a key alone as existence and `key=` as the empty value', () => {
    expect(parseFilterParams('spec.owner')).toEqual({ op: 'exists', path: 'spec.owner' });
    expect(parseFilterParams('spec.owner=')).toEqual({ op: 'in', path: 'spec.owner', values: [''] });
  });

  it('merges the same key given twice in one filter into "any of these values"', () => {
    expect(parseFilterParams('kind=api,kind=Component,kind=api')).toEqual({
      op: 'in',
      path: 'kind',
      values: ['api', 'component'],
    });
  });

  it('keeps everything after the first = as the value, trimmed', () => {
    expect(parseFilterParams(' metadata.annotations.tarmac.dev/query = a=b=c ')).toEqual({
      op: 'in',
      path: 'metadata.annotations.tarmac.dev/query',
      values: ['a=b=c'],
    });
  });

  it('accepts tag-style paths and relation conditions', () => {
    expect(parseFilterParams('metadata.tags.java')).toEqual({ op: 'exists', path: 'metadata.tags.java' });
    expect(parseFilterParams('relations.ownedBy=group:default/Team-A')).toEqual({
      op: 'relation',
      type: 'ownedby',
      targets: ['group:default/team-a'],
    });
    expect(parseFilterParams('relations.memberof')).toEqual({ op: 'relation', type: 'memberof' });
  });

  it('rejects a condition without a key, naming the filter', () => {
    expect(() => parseFilterParams('kind=a,=b')).toThrow(/filter "kind=a,=b": "=b" is not a valid condition/);
    try {
      parseFilterParams('=b');
    } catch (err) {
      expect(isTarmacError(err, 'BAD_REQUEST')).toBe(true);
    }
  });

  it('rejects keys with characters that are not in field paths', () => {
    expect(() => parseFilterParams("spec.type'; DROP TABLE x; --=a")).toThrow(/invalid field path/);
    expect(() => parseFilterParams('spec..type=a')).toThrow(/invalid field path/);
    expect(() => parseFilterParams('a b=c')).toThrow(/invalid field path/);
  });

  it('passes hostile values through untouched (they are only ever SQL parameters)', () => {
    expect(parseFilterParams("kind=x'; DROP TABLE catalog_entities; --")).toEqual({
      op: 'in',
      path: 'kind',
      values: ["x'; drop table catalog_entities; --"],
    });
  });

  it('limits key length and the number of conditions', () => {
    expect(() => parseFilterParams(`${'a'.repeat(201)}=x`)).toThrow(/longer than 200/);
    const many = Array.from({ length: 201 }, (_, i) => `k${i}=v`).join(',');
    expect(() => parseFilterParams(many)).toThrow(/more than 200 conditions/);
  });
});
