// Entity refs, per Backstage packages/catalog-model/src/entity/ref.ts: `[kind:][namespace/]name`; if '/' comes
// before ':' there is no kind; empty parts throw; stringify lowercases.
import { describe, expect, it } from 'vitest';
import { isTarmacError } from '../../core/errors.js';
import { DEFAULT_KIND_BY_FIELD, parseEntityRef, stringifyEntityRef } from './ref.js';

describe('parseEntityRef', () => {
  it('reads a bare name with the default kind and namespace', () => {
    expect(parseEntityRef('team-a', { defaultKind: 'Group' })).toEqual({
      kind: 'Group',
      namespace: 'default',
      name: 'team-a',
    });
  });

  it('reads kind:name', () => {
    expect(parseEntityRef('user:guest')).toEqual({ kind: 'user', namespace: 'default', name: 'guest' });
  });

  it('reads kind:namespace/name', () => {
    expect(parseEntityRef('group:default/team-a')).toEqual({ kind: 'group', namespace: 'default', name: 'team-a' });
  });

  it('reads namespace/name with the default kind', () => {
    expect(parseEntityRef('default/foo', { defaultKind: 'Component' })).toEqual({
      kind: 'Component',
      namespace: 'default',
      name: 'foo',
    });
  });

  it('uses the default namespace only when the ref has none', () => {
    const context = { defaultKind: 'Group', defaultNamespace: 'development' };
    expect(parseEntityRef('team-a', context)).toEqual({ kind: 'Group', namespace: 'development', name: 'team-a' });
    expect(parseEntityRef('group:default/team-a', context).namespace).toBe('default');
  });

  it('keeps the parts as written (no lowercasing)', () => {
    expect(parseEntityRef('Group:Default/Team-A')).toEqual({ kind: 'Group', namespace: 'Default', name: 'Team-A' });
  });

  it('takes everything after the first colon as the name: a:b:c is kind a, name b:c', () => {
    expect(parseEntityRef('a:b:c')).toEqual({ kind: 'a', namespace: 'default', name: 'b:c' });
  });

  it('has no kind when / comes before :', () => {
    expect(parseEntityRef('ns/b:c', { defaultKind: 'Component' })).toEqual({
      kind: 'Component',
      namespace: 'ns',
      name: 'b:c',
    });
    expect(() => parseEntityRef('ns/b:c')).toThrow(/no kind/);
  });

  it('throws BAD_REQUEST when there is no kind and no default kind', () => {
    let thrown: unknown;
    try {
      parseEntityRef('team-a');
    } catch (err) {
      thrown = err;
    }
    expect(isTarmacError(thrown, 'BAD_REQUEST')).toBe(true);
    expect((thrown as Error).message).toContain('"team-a" has no kind');
  });

  it.each(['', ':x', 'a:', 'a:/x', '/x', 'x/', 'k:ns/'])('throws BAD_REQUEST on a ref with an empty part: %j', (ref) => {
    expect(() => parseEntityRef(ref, { defaultKind: 'Component' })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }) as Error,
    );
  });
});

describe('stringifyEntityRef', () => {
  it('lowercases kind, namespace and name', () => {
    expect(stringifyEntityRef({ kind: 'Group', namespace: 'Default', name: 'Team-A' })).toBe('group:default/team-a');
  });

  it('reads an entity and defaults its namespace to default', () => {
    expect(stringifyEntityRef({ kind: 'Component', metadata: { name: 'Artist-Lookup' } })).toBe(
      'component:default/artist-lookup',
    );
    expect(stringifyEntityRef({ kind: 'User', metadata: { name: 'guest', namespace: 'development' } })).toBe(
      'user:development/guest',
    );
  });

  it('round-trips with parseEntityRef', () => {
    expect(stringifyEntityRef(parseEntityRef('team-a', { defaultKind: 'Group' }))).toBe('group:default/team-a');
  });
});

describe('DEFAULT_KIND_BY_FIELD', () => {
  it('holds the default kind of each relation field', () => {
    expect(DEFAULT_KIND_BY_FIELD).toEqual({
      owner: 'Group',
      system: 'System',
      domain: 'Domain',
      subdomainOf: 'Domain',
      providesApis: 'API',
      consumesApis: 'API',
      dependsOn: 'Component',
      dependencyOf: 'Component',
      parent: 'Group',
      children: 'Group',
      members: 'User',
      memberOf: 'Group',
      subcomponentOf: 'Component',
    });
    expect(Object.isFrozen(DEFAULT_KIND_BY_FIELD)).toBe(true);
  });
});
