import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../core/testing/databases.js';
import { openTestDatabase, testEngines } from '../../core/testing/databases.js';
import { parseFilterParams } from '../query/index.js';
import { catalogMigrations } from './migrations.js';
import type { CatalogStore } from './index.js';
import { createCatalogStore } from './index.js';
import { leasedLocation, result, smallCatalog } from './testing/fixtures.js';

describe.each(testEngines())('facets, search and summary on %s', (engine) => {
  let t: TestDatabase;
  let store: CatalogStore;
  let loc: string;
  beforeAll(async () => {
    t = await openTestDatabase(engine, catalogMigrations);
    store = createCatalogStore(t.db);
    loc = await leasedLocation(store, '/cat/all.yaml');
    await store.applyLocationResult(loc, 'test-owner', result(smallCatalog()));
  });
  afterAll(async () => t?.close());

  it('counts facet values as written, most frequent first', async () => {
    expect(await store.getFacets(['kind', 'metadata.tags'])).toEqual({
      kind: [
        { value: 'Component', count: 4 },
        { value: 'Group', count: 2 },
        { value: 'User', count: 2 },
        { value: 'API', count: 1 },
        { value: 'System', count: 1 },
      ],
      'metadata.tags': [
        { value: 'java', count: 2 },
        { value: 'frontend', count: 1 },
        { value: 'payments', count: 1 },
        { value: 'react', count: 1 },
      ],
    });
  });

  it('counts facets over the filtered entities only', async () => {
    expect(await store.getFacets(['spec.type', 'spec.lifecycle'], parseFilterParams('kind=component'))).toEqual({
      'spec.type': [
        { value: 'service', count: 3 },
        { value: 'website', count: 1 },
      ],
      'spec.lifecycle': [
        { value: 'production', count: 2 },
        { value: 'deprecated', count: 1 },
        { value: 'experimental', count: 1 },
      ],
    });
    expect(await store.getFacets(['metadata.annotations.tarmac.dev/query', 'spec.nothing'])).toEqual({
      'metadata.annotations.tarmac.dev/query': [{ value: 'x=y', count: 1 }],
      'spec.nothing': [],
    });
  });

  it('counts relation facets (owner pickers) in both directions', async () => {
    expect(await store.getFacets(['relations.ownedBy'])).toEqual({
      'relations.ownedBy': [
        { value: 'group:default/team-a', count: 3 },
        { value: 'group:default/team-b', count: 3 },
      ],
    });
    expect(await store.getFacets(['relations.hasMember'], parseFilterParams('kind=group'))).toEqual({
      'relations.hasMember': [
        { value: 'user:default/alice', count: 1 },
        { value: 'user:default/bob', count: 1 },
      ],
    });
    expect(await store.getFacets(['relations.ownedBy'], parseFilterParams('spec.type=service'))).toEqual({
      'relations.ownedBy': [
        { value: 'group:default/team-b', count: 2 },
        { value: 'group:default/team-a', count: 1 },
      ],
    });
    await expect(store.getFacets(["kind'--"])).rejects.toThrow(/invalid field path/);
  });

  it('ranks a name match above a description match', async () => {
    const hits = await store.search({ term: 'Payments', limit: 10, offset: 0 });
    expect(hits.totalItems).toBe(2);
    expect(hits.items.map((h) => h.entityRef)).toEqual(['component:default/payments', 'component:default/api-gw']);
    expect(hits.items[0]).toMatchObject({
      kind: 'Component',
      namespace: 'default',
      name: 'payments',
      title: 'Payments',
      description: 'Handles payments and refunds',
      owner: 'team-b',
    });
    expect(hits.items[0]?.rank ?? 0).toBeGreaterThan(hits.items[1]?.rank ?? 1);
  });

  it('matches word prefixes, all words required, optionally within one kind', async () => {
    expect((await store.search({ term: 'store', limit: 10, offset: 0 })).items.map((h) => h.name)).toEqual(['web']);
    expect((await store.search({ term: 'pay refund', limit: 10, offset: 0 })).items.map((h) => h.name)).toEqual(['payments']);
    const team = await store.search({ term: 'team', kind: 'group', limit: 10, offset: 0 });
    expect(team.items.map((h) => h.name)).toEqual(['team-b', 'team-a']); // team-b also matches by title
    const page = await store.search({ term: 'team', limit: 2, offset: 6 });
    expect(page.totalItems).toBe(8); // 2 groups (name) + 6 entities owned by a team (owner)
    expect(page.items.length).toBe(2);
    expect((await store.search({ term: 'team', limit: 2, offset: 50 })).totalItems).toBe(8);
    expect(await store.search({ term: ' ,; ', limit: 10, offset: 0 })).toEqual({ items: [], totalItems: 0 });
    expect((await store.search({ term: "pay'ments", limit: 10, offset: 0 })).totalItems).toBe(0);
  });

  it('summarises the catalog and lists unresolved relations', async () => {
    await store.applyLocationResult(
      loc,
      'test-owner',
      result(smallCatalog(), {
        errors: [
          { code: 'validation', message: 'bad', entityRef: 'component:default/broken', sourceFile: 'file:/cat/all.yaml' },
          { code: 'yaml_syntax', message: 'oops', sourceFile: 'file:/cat/all.yaml', line: 2, col: 1 },
        ],
      }),
    );
    expect(await store.summary()).toEqual({
      totalEntities: 10,
      countsByKind: [
        { kind: 'Component', count: 4 },
        { kind: 'Group', count: 2 },
        { kind: 'User', count: 2 },
        { kind: 'API', count: 1 },
        { kind: 'System', count: 1 },
      ],
      entitiesWithErrors: 1,
      errorCount: 2,
      locationCount: 1,
      unresolvedRelations: 1,
    });
    expect(await store.listUnresolvedRelations({ limit: 10, offset: 0 })).toEqual({
      items: [{ sourceRef: 'component:ops/legacy', type: 'dependsOn', targetRef: 'resource:default/db' }],
      totalItems: 1,
    });
    const errors = await store.listErrors({ limit: 1, offset: 1 });
    expect(errors.totalItems).toBe(2);
    expect(errors.items).toEqual([
      {
        id: expect.any(Number) as number,
        locationId: loc,
        locationTarget: '/cat/all.yaml',
        entityRef: null,
        sourceFile: 'file:/cat/all.yaml',
        line: 2,
        col: 1,
        fieldPath: null,
        code: 'yaml_syntax',
        message: 'oops',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
      },
    ]);
  });

  it('recomputes cached facets and the summary after a write (the store generation moves on)', async () => {
    const before = await store.getFacets(['kind']);
    expect(before.kind?.find((k) => k.value === 'User')).toEqual({ value: 'User', count: 2 });
    expect((await store.summary()).totalEntities).toBe(10);
    const bob = await store.getEntityByRef('user:default/bob');
    expect(await store.deleteEntityByUid(bob?.metadata.uid ?? '')).toBe(true);
    // By hand: the fixture's 4 Component, 2 Group, 2 User, 1 API, 1 System less one User; ties by value.
    expect(await store.getFacets(['kind'])).toEqual({
      kind: [
        { value: 'Component', count: 4 },
        { value: 'Group', count: 2 },
        { value: 'API', count: 1 },
        { value: 'System', count: 1 },
        { value: 'User', count: 1 },
      ],
    });
    const after = await store.summary();
    expect(after.totalEntities).toBe(9);
    expect(after.countsByKind.find((k) => k.kind === 'User')).toEqual({ kind: 'User', count: 1 });
  });
});
