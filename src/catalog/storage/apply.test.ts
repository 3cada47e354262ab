import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../core/testing/databases.js';
import { openTestDatabase, testEngines } from '../../core/testing/databases.js';
import { catalogMigrations } from './migrations.js';
import type { CatalogStore } from './index.js';
import { createCatalogStore } from './index.js';
import type { ProcessedEntity } from './types.js';
import { leasedLocation, pe, rel, result, smallCatalog } from './testing/fixtures.js';

const OWNER = 'test-owner';

describe.each(testEngines())('applyLocationResult on %s', (engine) => {
  let t: TestDatabase;
  let store: CatalogStore;
  let loc: string;
  const generation = async (): Promise<number> =>
    (await t.db.query<{ generation: number }>('SELECT generation FROM catalog_state'))[0]?.generation ?? -1;
  const rows = async (): Promise<Map<string, { uid: string; etag: string; updated: string }>> =>
    new Map(
      (
        await t.db.query<{ entity_ref: string; uid: string; etag: string; updated: string }>(
          'SELECT entity_ref, uid, etag, updated_at::text AS updated FROM catalog_entities',
        )
      ).map((r) => [r.entity_ref, r]),
    );

  beforeAll(async () => {
    t = await openTestDatabase(engine, catalogMigrations);
    store = createCatalogStore(t.db);
    loc = await leasedLocation(store, '/cat/all.yaml', OWNER);
  });
  afterAll(async () => t?.close());

  it('inserts new entities with a uid and an etag, reporting progress', async () => {
    const progress: Array<[number, number]> = [];
    const summary = await store.applyLocationResult(loc, OWNER, result(smallCatalog()), (d, n) => progress.push([d, n]));
    expect(summary).toEqual({ added: 10, updated: 0, removed: 0, unchanged: 0, conflicts: 0, errors: 0 });
    expect(progress[progress.length - 1]).toEqual([10, 10]);
    const web = await store.getEntityByRef('component:default/web');
    expect(web?.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(web?.metadata.etag).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await store.getEntityLocationId('component:default/web')).toBe(loc);
  });

  it('costs no writes when nothing changed', async () => {
    const before = await rows();
    const gen = await generation();
    const summary = await store.applyLocationResult(loc, OWNER, result(smallCatalog()));
    expect(summary).toEqual({ added: 0, updated: 0, removed: 0, unchanged: 10, conflicts: 0, errors: 0 });
    expect(await rows()).toEqual(before); // same etags and updated_at
    expect(await generation()).toBe(gen);
  });

  it('updates a changed entity in place (same uid, new etag) and rewrites its relations', async () => {
    const before = await rows();
    const gen = await generation();
    const entities = smallCatalog().map((e) =>
      e.ref === 'component:default/web'
        ? pe('Component', 'web', {
            metadata: { title: 'Web Shop 2' },
            spec: { type: 'website', lifecycle: 'production', owner: 'team-b' },
            relations: rel('component:default/web', 'ownedBy', 'group:default/team-b', 'ownerOf'),
          })
        : e,
    );
    const summary = await store.applyLocationResult(loc, OWNER, result(entities));
    expect(summary).toEqual({ added: 0, updated: 1, removed: 0, unchanged: 9, conflicts: 0, errors: 0 });
    const after = await rows();
    expect(after.get('component:default/web')?.uid).toBe(before.get('component:default/web')?.uid);
    expect(after.get('component:default/web')?.etag).not.toBe(before.get('component:default/web')?.etag);
    expect(after.get('component:default/api-gw')).toEqual(before.get('component:default/api-gw'));
    expect(await generation()).toBe(gen + 1);
    const web = await store.getEntityByRef('component:default/web');
    expect(web?.metadata.title).toBe('Web Shop 2');
    expect(web?.relations?.map((r) => `${r.type} ${r.targetRef}`)).toEqual(['ownedBy group:default/team-b']);
    // the other side of the relations follows: team-a no longer owns web, shop no longer has it as a part
    const teamA = await store.getEntityByRef('group:default/team-a');
    expect(teamA?.relations?.map((r) => `${r.type} ${r.targetRef}`)).toEqual([
      'hasMember user:default/alice',
      'ownerOf component:ops/legacy',
      'ownerOf system:default/shop',
    ]);
    const shop = await store.getEntityByRef('system:default/shop');
    expect(shop?.relations?.map((r) => `${r.type} ${r.targetRef}`)).toEqual([
      'hasPart api:default/orders-api',
      'hasPart component:default/api-gw',
      'ownedBy group:default/team-a',
    ]);
  });

  it('removes entities no longer emitted, with their relations, and counts them', async () => {
    const entities = smallCatalog().filter((e) => e.ref !== 'user:default/bob');
    const summary = await store.applyLocationResult(loc, OWNER, result(entities));
    // web goes back to its original version (updated), bob goes
    expect(summary).toEqual({ added: 0, updated: 1, removed: 1, unchanged: 8, conflicts: 0, errors: 0 });
    expect(await store.getEntityByRef('user:default/bob')).toBeUndefined();
    const teamB = await store.getEntityByRef('group:default/team-b');
    expect(teamB?.relations?.some((r) => r.type === 'hasMember')).toBe(false);
  });

  it('keeps the last good version of entities from failed files and of invalid refs', async () => {
    const others = await leasedLocation(store, '/cat/others.yaml', OWNER);
    const inB = pe('Component', 'billing', { file: 'file:/cat/b.yaml', spec: { type: 'service' } });
    const inC = pe('Component', 'checkout', { file: 'file:/cat/c.yaml', spec: { type: 'service' } });
    const inD = pe('Component', 'dropped', { file: 'file:/cat/c.yaml', spec: { type: 'service' } });
    expect((await store.applyLocationResult(others, OWNER, result([inB, inC, inD]))).added).toBe(3);
    const invalid = {
      code: 'validation' as const,
      message: 'spec.type: required',
      entityRef: 'component:default/checkout',
      sourceFile: 'file:/cat/c.yaml',
      fieldPath: 'spec.type',
    };
    const summary = await store.applyLocationResult(
      others,
      OWNER,
      result([], { failedFiles: ['file:/cat/b.yaml'], invalidRefs: ['component:default/checkout'], errors: [invalid] }),
    );
    expect(summary).toEqual({ added: 0, updated: 0, removed: 1, unchanged: 2, conflicts: 0, errors: 1 });
    expect(await store.getEntityByRef('component:default/billing')).toBeDefined();
    expect(await store.getEntityByRef('component:default/dropped')).toBeUndefined();
    const checkout = await store.getEntityByRef('component:default/checkout');
    expect(checkout?.status).toEqual({
      items: [
        {
          type: 'backstage.io/catalog-processing',
          level: 'error',
          message: 'spec.type: required',
          error: { name: 'InputError', message: 'spec.type: required' },
        },
      ],
    });
    await store.deleteLocation(others);
  });

  it('lets the first location keep a ref and records a conflict naming it for the second', async () => {
    const second = await leasedLocation(store, '/cat/second.yaml', OWNER);
    const stolen = pe('Component', 'web', { file: 'file:/cat/second.yaml', line: 7, spec: { type: 'fork' } });
    const own = pe('Component', 'mine', { file: 'file:/cat/second.yaml', spec: { type: 'service' } });
    const dup = pe('Component', 'mine', { file: 'file:/cat/second-b.yaml', line: 3, spec: { type: 'other' } });
    const summary = await store.applyLocationResult(second, OWNER, result([stolen, own, dup]));
    expect(summary).toEqual({ added: 1, updated: 0, removed: 0, unchanged: 0, conflicts: 2, errors: 2 });
    expect(await store.getEntityLocationId('component:default/web')).toBe(loc);
    expect((await store.getEntityByRef('component:default/web'))?.spec?.type).toBe('website');
    expect((await store.getEntityByRef('component:default/mine'))?.spec?.type).toBe('service');
    const errors = await store.listErrors({ locationId: second, limit: 10, offset: 0 });
    expect(errors.items.map((e) => [e.code, e.entityRef, e.sourceFile, e.line])).toEqual([
      ['conflict', 'component:default/mine', 'file:/cat/second-b.yaml', 3],
      ['conflict', 'component:default/web', 'file:/cat/second.yaml', 7],
    ]);
    expect(errors.items[1]?.message).toContain(`location file:/cat/all.yaml (id ${loc})`);
    expect(errors.items[0]?.locationTarget).toBe('/cat/second.yaml');

    // Once the first location drops it, the second one gets it at its next read.
    await store.applyLocationResult(loc, OWNER, result(smallCatalog().filter((e) => e.ref !== 'component:default/web')));
    const again = await store.applyLocationResult(second, OWNER, result([stolen, own]));
    expect(again).toEqual({ added: 1, updated: 0, removed: 0, unchanged: 1, conflicts: 0, errors: 0 });
    expect(await store.getEntityLocationId('component:default/web')).toBe(second);
    await store.deleteLocation(second);
  });

  it("replaces the location's errors, and leaves them untouched when identical", async () => {
    const e1 = { code: 'yaml_syntax' as const, message: 'bad indentation', sourceFile: 'file:/cat/x.yaml', line: 3, col: 5 };
    const e2 = { code: 'fetch' as const, message: 'not found', sourceFile: 'file:/cat/y.yaml' };
    const placeholder = { code: 'placeholder' as const, message: '$text https://x/api.yaml: host not allowed', fieldPath: 'spec.definition' };
    const entities = (extra: ProcessedEntity[] = []): ProcessedEntity[] => [
      ...smallCatalog().map((e) => (e.ref === 'api:default/orders-api' ? { ...e, errors: [placeholder] } : e)),
      ...extra,
    ];
    const first = await store.applyLocationResult(loc, OWNER, result(entities(), { errors: [e1, e2] }));
    expect(first.errors).toBe(3);
    const ids = (await store.listErrors({ locationId: loc, limit: 10, offset: 0 })).items.map((e) => e.id);
    const gen = await generation();
    await store.applyLocationResult(loc, OWNER, result(entities(), { errors: [e2, e1] }));
    expect((await store.listErrors({ locationId: loc, limit: 10, offset: 0 })).items.map((e) => e.id)).toEqual(ids);
    expect(await generation()).toBe(gen);

    const api = await store.getEntityByRef('api:default/orders-api');
    expect(api?.status?.items.map((i) => i.message)).toEqual([placeholder.message]);
    const byEntity = await store.listErrors({ entityRef: 'API:default/Orders-API', limit: 10, offset: 0 });
    expect(byEntity.items.map((e) => [e.code, e.fieldPath])).toEqual([['placeholder', 'spec.definition']]);

    await store.applyLocationResult(loc, OWNER, result(smallCatalog(), { errors: [e2] }));
    const left = await store.listErrors({ locationId: loc, limit: 10, offset: 0 });
    expect(left.items.map((e) => [e.code, e.message, e.sourceFile, e.line, e.col])).toEqual([
      ['fetch', 'not found', 'file:/cat/y.yaml', null, null],
    ]);
    expect((await store.getEntityByRef('api:default/orders-api'))?.status).toBeUndefined();
  });

  it('stores text with NUL characters and quotes safely', async () => {
    const odd = pe('Component', 'odd', {
      metadata: { description: 'a\u0000b "quoted" \\ back\'slash', title: "x'); DROP TABLE catalog_entities; --" },
      spec: { type: 'service' },
    });
    await store.applyLocationResult(loc, OWNER, result([...smallCatalog(), odd]));
    const got = await store.getEntityByRef('component:default/odd');
    expect(got?.metadata.description).toBe('ab "quoted" \\ back\'slash');
    expect(got?.metadata.title).toBe("x'); DROP TABLE catalog_entities; --");
    expect(await store.getEntitySource('component:default/odd')).toEqual({
      file: 'file:/cat/all.yaml',
      line: 1,
      text: 'kind: Component\nmetadata:\n  name: odd\n',
    });
    expect(await store.getEntitySource('component:default/none')).toBeUndefined();
  });

  it('deletes one entity by uid; it comes back at the next read', async () => {
    const web = await store.getEntityByRef('component:default/web');
    expect(await store.deleteEntityByUid(web?.metadata.uid ?? '')).toBe(true);
    expect(await store.deleteEntityByUid(web?.metadata.uid ?? '')).toBe(false);
    expect(await store.getEntityByRef('component:default/web')).toBeUndefined();
    expect((await store.getEntityByRef('group:default/team-a'))?.relations?.some((r) => r.targetRef === 'component:default/web')).toBe(false);
    const summary = await store.applyLocationResult(loc, OWNER, result(smallCatalog()));
    expect(summary.added).toBe(1);
    expect((await store.getEntityByRef('component:default/web'))?.metadata.uid).not.toBe(web?.metadata.uid);
  });
});
