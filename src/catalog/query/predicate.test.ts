import { describe, expect, it } from 'vitest';
import { isTarmacError } from '../../core/errors.js';
import { parsePredicateQuery } from './predicate.js';

// Expected ASTs written from the FilterPredicate documentation (@backstage/filter-predicates).
describe('parsePredicateQuery', () => {
  it('ANDs the keys of a field expression, lowercasing paths and values', () => {
    expect(parsePredicateQuery({ Kind: 'Component', 'spec.type': 'service' })).toEqual({
      op: 'all',
      nodes: [
        { op: 'in', path: 'kind', values: ['component'] },
        { op: 'in', path: 'spec.type', values: ['service'] },
      ],
    });
  });

  it('compares numbers and booleans as strings', () => {
    expect(parsePredicateQuery({ 'spec.replicas': 3, 'spec.public': true })).toEqual({
      op: 'all',
      nodes: [
        { op: 'in', path: 'spec.replicas', values: ['3'] },
        { op: 'in', path: 'spec.public', values: ['true'] },
      ],
    });
  });

  it('parses $all, $any and $not', () => {
    expect(parsePredicateQuery({ $any: [{ kind: 'api' }, { $not: { kind: 'group' } }] })).toEqual({
      op: 'any',
      nodes: [
        { op: 'in', path: 'kind', values: ['api'] },
        { op: 'not', node: { op: 'in', path: 'kind', values: ['group'] } },
      ],
    });
    expect(parsePredicateQuery({ $all: [{ kind: 'api' }] })).toEqual({
      op: 'all',
      nodes: [{ op: 'in', path: 'kind', values: ['api'] }],
    });
  });

  it('makes an empty $all or $any match nothing, as Backstage does, and {} match everything', () => {
    expect(parsePredicateQuery({ $all: [] })).toEqual({ op: 'any', nodes: [] });
    expect(parsePredicateQuery({ $any: [] })).toEqual({ op: 'any', nodes: [] });
    expect(parsePredicateQuery({})).toEqual({ op: 'all', nodes: [] });
  });

  it('parses the value operators', () => {
    expect(parsePredicateQuery({ 'spec.owner': { $exists: true } })).toEqual({ op: 'exists', path: 'spec.owner' });
    expect(parsePredicateQuery({ 'spec.owner': { $exists: false } })).toEqual({
      op: 'not',
      node: { op: 'exists', path: 'spec.owner' },
    });
    expect(parsePredicateQuery({ 'spec.type': { $in: ['Service', 'website', 'service'] } })).toEqual({
      op: 'in',
      path: 'spec.type',
      values: ['service', 'website'],
    });
    expect(parsePredicateQuery({ 'metadata.name': { $hasPrefix: 'Pay' } })).toEqual({
      op: 'prefix',
      path: 'metadata.name',
      prefix: 'pay',
    });
    expect(parsePredicateQuery({ 'spec.type': { $in: [] } })).toEqual({ op: 'any', nodes: [] });
  });

  it('parses $contains on arrays of strings and of objects', () => {
    expect(parsePredicateQuery({ 'metadata.tags': { $contains: 'Java' } })).toEqual({
      op: 'in',
      path: 'metadata.tags',
      values: ['java'],
    });
    expect(parsePredicateQuery({ 'metadata.links': { $contains: { type: 'docs' } } })).toEqual({
      op: 'in',
      path: 'metadata.links.type',
      values: ['docs'],
    });
  });

  it('parses relation conditions in both spellings', () => {
    expect(parsePredicateQuery({ relations: { $contains: { type: 'ownedBy', targetRef: 'group:default/A' } } })).toEqual({
      op: 'relation',
      targets: ['group:default/a'],
      type: 'ownedby',
    });
    expect(parsePredicateQuery({ relations: { $contains: { targetRef: { $hasPrefix: 'group:' } } } })).toEqual({
      op: 'relation',
      prefix: 'group:',
    });
    expect(parsePredicateQuery({ 'relations.memberOf': { $in: ['group:default/a', 'group:default/b'] } })).toEqual({
      op: 'relation',
      type: 'memberof',
      targets: ['group:default/a', 'group:default/b'],
    });
  });

  it('names the JSON path of the offending part', () => {
    const message = (q: unknown): string => {
      try {
        parsePredicateQuery(q);
      } catch (err) {
        expect(isTarmacError(err, 'BAD_REQUEST')).toBe(true);
        return (err as Error).message;
      }
      throw new Error('expected a BAD_REQUEST');
    };
    expect(message('kind=x')).toMatch(/^query: expected an object/);
    expect(message({ $all: {} })).toMatch(/^query\.\$all: expected an array/);
    expect(message({ $all: [{ kind: { $in: 'x' } }] })).toMatch(/^query\.\$all\[0\]\["kind"\]\.\$in: expected an array/);
    expect(message({ $any: [{}, { kind: ['a'] }] })).toMatch(/^query\.\$any\[1\]\["kind"\]: expected a string/);
    expect(message({ kind: 'a', $any: [] })).toMatch(/^query: \$any must be the only key/);
    expect(message({ $nor: [] })).toMatch(/^query: unknown operator \$nor/);
    expect(message({ kind: { $regex: '.*' } })).toMatch(/^query\["kind"\]: unknown operator \$regex/);
    expect(message({ kind: { $exists: 'yes' } })).toMatch(/^query\["kind"\]\.\$exists: expected a boolean/);
    expect(message({ relations: { $contains: { kind: 'x' } } })).toMatch(/\$contains\.kind: unknown key/);
    expect(message({ 'spec.ty pe': 'x' })).toMatch(/invalid field path/);
  });

  it('bounds nesting depth', () => {
    let q: unknown = { kind: 'a' };
    for (let i = 0; i < 20; i++) q = { $not: q };
    expect(() => parsePredicateQuery(q)).toThrow(/nested deeper than 16/);
  });
});
