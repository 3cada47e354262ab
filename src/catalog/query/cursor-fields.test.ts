import { describe, expect, it } from 'vitest';
import type { Entity } from '../model/entity.js';
import { canonicalFilter } from './ast.js';
import { decodeCursor, encodeCursor, type QueryCursor } from './cursor.js';
import { applyFieldSelection } from './fields.js';
import { parseFilterParams } from './filter-params.js';

describe('cursors', () => {
  const cursor: QueryCursor = {
    v: 1,
    filter: { op: 'in', path: 'kind', values: ['component'] },
    fullText: { term: 'pay', fields: ['metadata.name'] },
    order: { field: 'metadata.title', order: 'desc' },
    pos: { value: 'web shop', ref: 'component:default/web' },
    dir: 'next',
  };

  it('round-trips as opaque base64url', () => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it('also accepts standard base64 (what Backstage clients may re-encode)', () => {
    const std = Buffer.from(JSON.stringify(cursor)).toString('base64');
    expect(decodeCursor(std)).toEqual(cursor);
  });

  it('rejects garbage and forged content with BAD_REQUEST', () => {
    expect(() => decodeCursor('not a cursor')).toThrow(/invalid cursor/);
    expect(() => decodeCursor(Buffer.from('{"v":2}').toString('base64url'))).toThrow(/invalid cursor/);
    const forged = { ...cursor, filter: { op: 'exists', path: "x'); DROP TABLE y; --" } };
    expect(() => decodeCursor(Buffer.from(JSON.stringify(forged)).toString('base64url'))).toThrow(/invalid cursor/);
    const badOrder = { ...cursor, order: { field: 'metadata.name', order: 'sideways' } };
    expect(() => decodeCursor(Buffer.from(JSON.stringify(badOrder)).toString('base64url'))).toThrow(/invalid cursor/);
  });
});

describe('canonicalFilter', () => {
  it('ignores the order of conditions and values', () => {
    const a = parseFilterParams(['kind=api,spec.type=x,spec.type=y', 'kind=group']);
    const b = parseFilterParams(['kind=group', 'spec.type=y,kind=api,spec.type=x']);
    expect(canonicalFilter(a)).toBe(canonicalFilter(b));
    expect(canonicalFilter(a)).not.toBe(canonicalFilter(parseFilterParams('kind=group')));
  });
});

describe('applyFieldSelection', () => {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'web',
      annotations: { 'backstage.io/techdocs-ref': 'dir:.', other: 'x' },
      tags: ['a'],
    },
    spec: { type: 'website', owner: 'team-a' },
  };

  it('keeps only the listed paths', () => {
    expect(applyFieldSelection(entity, ['kind', 'metadata.name'])).toEqual({ kind: 'Component', metadata: { name: 'web' } });
    expect(applyFieldSelection(entity, ['spec.owner,metadata.tags'])).toEqual({
      metadata: { tags: ['a'] },
      spec: { owner: 'team-a' },
    });
  });

  it('finds keys that contain dots', () => {
    expect(applyFieldSelection(entity, ['metadata.annotations.backstage.io/techdocs-ref'])).toEqual({
      metadata: { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } },
    });
  });

  it('leaves out missing paths and returns the entity itself without fields', () => {
    expect(applyFieldSelection(entity, ['spec.system', 'kind'])).toEqual({ kind: 'Component' });
    expect(applyFieldSelection(entity, undefined)).toBe(entity);
    expect(applyFieldSelection(entity, [' '])).toBe(entity);
  });

  it('rejects array indexes', () => {
    expect(() => applyFieldSelection(entity, ['metadata.tags[0]'])).toThrow(/array indexes/);
  });
});
