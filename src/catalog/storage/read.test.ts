import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../core/testing/databases.js';
import { openTestDatabase, testEngines } from '../../core/testing/databases.js';
import type { FilterNode } from '../query/index.js';
import { encodeCursor, parseFilterParams, parsePredicateQuery } from '../query/index.js';
import { catalogMigrations } from './migrations.js';
import type { CatalogStore, EntityQuery } from './index.js';
import { createCatalogStore } from './index.js';
import { leasedLocation, result, smallCatalog } from './testing/fixtures.js';

// The fixture (testing/fixtures.ts smallCatalog) in entity-ref order, as the "C" collation sorts it.
const ALL = [
  'api:default/orders-api',
  'component:default/api-gw',
  'component:default/payments',
  'component:default/web',
  'component:ops/legacy',
  'group:default/team-a',
  'group:default/team-b',
  'system:default/shop',
  'user:default/alice',
  'user:default/bob',
];

describe.each(testEngines())('entity reads on %s', (engine) => {
  let t: TestDatabase;
  let store: CatalogStore;
  let loc: string;
  const refs = async (filter: FilterNode | undefined): Promise<string[]> => {
    const page = await store.queryEntities({ filter, limit: 100 });
    const out = page.items.map((e) => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase());
    expect(page.totalItems).toBe(out.length);
    return out;
  };
  const get = (filter: string | string[]): Promise<string[]> => refs(parseFilterParams(filter));
  const post = (query: unknown): Promise<string[]> => refs(parsePredicateQuery(query));

  beforeAll(async () => {
    t = await openTestDatabase(engine, catalogMigrations);
    store = createCatalogStore(t.db);
    loc = await leasedLocation(store, '/cat/all.yaml');
    await store.applyLocationResult(loc, 'test-owner', result(smallCatalog()));
  });
  afterAll(async () => t?.close());

  it('applies a read restriction inside each single-entity lookup: outside it looks missing', async () => {
    const components = parseFilterParams('kind=component');
    const web = await store.getEntityByRef('Component:default/WEB', components);
    expect(web?.metadata.name).toBe('web');
    expect(await store.getEntityByRef('system:default/shop', components)).toBeUndefined();
    const shop = await store.getEntityByRef('system:default/shop');
    expect(shop?.metadata.name).toBe('shop');

    expect((await store.getEntityByUid(web?.metadata.uid ?? '', components))?.metadata.name).toBe('web');
    expect(await store.getEntityByUid(shop?.metadata.uid ?? '', components)).toBeUndefined();

    // The fixture's source text is `kind: <Kind>\nmetadata:\n  name: <name>\n` in file:/cat/all.yaml.
    expect(await store.getEntitySource('component:default/web', components)).toMatchObject({
      file: 'file:/cat/all.yaml',
      text: 'kind: Component\nmetadata:\n  name: web\n',
    });
    expect(await store.getEntitySource('system:default/shop', components)).toBeUndefined();
    expect((await store.getEntitySource('system:default/shop'))?.text).toBe('kind: System\nmetadata:\n  name: shop\n');

    expect(await store.getEntityLocationId('component:default/web', components)).toBe(loc);
    expect(await store.getEntityLocationId('system:default/shop', components)).toBeUndefined();
    expect(await store.getEntityLocationId('system:default/shop')).toBe(loc);
  });

  it('filters with the Backstage GET syntax', async () => {
    expect(await get('kind=Component')).toEqual(ALL.slice(1, 5));
    expect(await get('KIND=component,spec.type=SERVICE')).toEqual([
      'component:default/api-gw',
      'component:default/payments',
      'component:ops/legacy',
    ]);
    expect(await get(['kind=api', 'kind=system'])).toEqual(['api:default/orders-api', 'system:default/shop']);
    expect(await get('kind=api,kind=user')).toEqual(['api:default/orders-api', 'user:default/alice', 'user:default/bob']);
    expect(await get('spec.owner')).toEqual([...ALL.slice(0, 5), 'system:default/shop']);
    expect(await get('metadata.namespace=OPS')).toEqual(['component:ops/legacy']);
    expect(await get('metadata.name=web')).toEqual(['component:default/web']);
    expect(await get('metadata.title=web shop')).toEqual(['component:default/web']);
    expect(await get('metadata.annotations.tarmac.dev/query=x=y')).toEqual(['component:default/web']);
    expect(await get('spec.lifecycle=production,kind=component')).toEqual(['component:default/api-gw', 'component:default/web']);
    expect(await get("kind=x'; DROP TABLE catalog_entities; --")).toEqual([]);
  });

  it('descends through arrays, including tag-style keys', async () => {
    expect(await get('metadata.tags=java')).toEqual(['component:default/api-gw', 'component:default/payments']);
    expect(await get('metadata.tags.java')).toEqual(['component:default/api-gw', 'component:default/payments']);
    expect(await get('metadata.tags.JAVA=true')).toEqual(['component:default/api-gw', 'component:default/payments']);
    expect(await get('metadata.tags.react,metadata.tags.frontend')).toEqual(['component:default/web']);
    expect(await get('spec.memberOf=team-a')).toEqual(['user:default/alice']);
    expect(await get('metadata.links.type=docs')).toEqual(['component:default/web']);
    // As in Backstage, only leaves are keys: an array of objects is not itself a key (its fields are).
    expect(await get('metadata.links')).toEqual([]);
    expect(await get('metadata.links.url')).toEqual(['component:default/web']);
  });

  it('filters on relations in both directions', async () => {
    expect(await get('relations.ownedBy=group:default/team-a')).toEqual([
      'component:default/web',
      'component:ops/legacy',
      'system:default/shop',
    ]);
    expect(await get('relations.ownerof=component:default/web')).toEqual(['group:default/team-a']);
    expect(await get('relations.hasMember=user:default/alice')).toEqual(['group:default/team-a']);
    expect(await get('relations.memberof')).toEqual(['user:default/alice', 'user:default/bob']);
    expect(await get('relations.dependsOn=resource:default/db')).toEqual(['component:ops/legacy']);
    expect(await get('relations.apiConsumedBy=component:default/payments')).toEqual(['api:default/orders-api']);
    expect(await get('relations.madeUp=x')).toEqual([]);
  });

  it('filters with predicates', async () => {
    expect(await post({ kind: 'component', 'spec.type': 'service' })).toEqual([
      'component:default/api-gw',
      'component:default/payments',
      'component:ops/legacy',
    ]);
    expect(await post({ $any: [{ kind: 'api' }, { kind: 'system' }] })).toEqual(['api:default/orders-api', 'system:default/shop']);
    expect(await post({ $not: { kind: 'component' } })).toEqual([ALL[0], ...ALL.slice(5)]);
    expect(await post({ 'spec.type': { $in: ['website', 'OpenAPI'] } })).toEqual(['api:default/orders-api', 'component:default/web']);
    expect(await post({ 'metadata.name': { $hasPrefix: 'PAY' } })).toEqual(['component:default/payments']);
    expect(await post({ 'spec.owner': { $hasPrefix: 'team-' } })).toEqual([...ALL.slice(0, 4), 'system:default/shop']);
    expect(await post({ 'metadata.tags': { $contains: 'java' } })).toEqual(['component:default/api-gw', 'component:default/payments']);
    expect(await post({ 'metadata.links': { $contains: { type: 'docs' } } })).toEqual(['component:default/web']);
    expect(await post({ relations: { $contains: { type: 'ownedBy', targetRef: 'group:default/team-b' } } })).toEqual(ALL.slice(0, 3));
    expect(await post({ relations: { $contains: { targetRef: 'user:default/bob' } } })).toEqual(['group:default/team-b']);
    expect(await post({ 'relations.ownedBy': { $exists: false } })).toEqual(ALL.slice(5, 7).concat(ALL.slice(8)));
    expect(await post({ 'metadata.title': { $exists: true } })).toEqual([
      'component:default/payments',
      'component:default/web',
      'group:default/team-b',
    ]);
    expect(await post({ $all: [] })).toEqual([]);
    expect(await post({})).toEqual(ALL);
  });

  it('pages with cursors, visiting every entity once, in order, both ways', async () => {
    const seen: string[] = [];
    const pages: string[][] = [];
    let page = await store.queryEntities({ limit: 3 });
    expect(page.pageInfo.prevCursor).toBeUndefined();
    for (;;) {
      const names = page.items.map((e) => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase());
      pages.push(names);
      seen.push(...names);
      expect(page.totalItems).toBe(10);
      if (!page.pageInfo.nextCursor) break;
      const next = await store.queryEntities({ cursor: page.pageInfo.nextCursor, limit: 3, filter: parseFilterParams('kind=user') });
      expect(next.pageInfo.prevCursor).toBeDefined();
      const back = await store.queryEntities({ cursor: next.pageInfo.prevCursor, limit: 3 });
      expect(back.items.map((e) => e.metadata.name)).toEqual(page.items.map((e) => e.metadata.name));
      page = next;
    }
    expect(seen).toEqual(ALL);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
  });

  it('pages a filtered, ordered query; entities lacking the order field are excluded', async () => {
    const walk = async (q: EntityQuery): Promise<{ names: string[][]; totals: number[] }> => {
      const names: string[][] = [];
      const totals: number[] = [];
      let page = await store.queryEntities(q);
      for (;;) {
        names.push(page.items.map((e) => e.metadata.name));
        totals.push(page.totalItems);
        if (!page.pageInfo.nextCursor) return { names, totals };
        page = await store.queryEntities({ cursor: page.pageInfo.nextCursor, limit: q.limit });
      }
    };
    expect(await walk({ limit: 4, order: [{ field: 'metadata.name', order: 'asc' }] })).toEqual({
      names: [['alice', 'api-gw', 'bob', 'legacy'], ['orders-api', 'payments', 'shop', 'team-a'], ['team-b', 'web']],
      totals: [10, 10, 10],
    });
    expect((await walk({ limit: 20, order: [{ field: 'metadata.name', order: 'desc' }] })).names[0]?.slice(0, 3)).toEqual([
      'web',
      'team-b',
      'team-a',
    ]);
    expect(await walk({ limit: 2, order: [{ field: 'metadata.title', order: 'asc' }] })).toEqual({
      names: [['payments', 'team-b'], ['web']],
      totals: [3, 3],
    });
    // spec.type desc: website; team, team (refs desc); service ×3 (refs desc); openapi.
    expect(await walk({ limit: 3, order: [{ field: 'spec.type', order: 'desc' }] })).toEqual({
      names: [['web', 'team-b', 'team-a'], ['legacy', 'payments', 'api-gw'], ['orders-api']],
      totals: [7, 7, 7],
    });
    expect(await walk({ limit: 2, filter: parseFilterParams('kind=component'), order: [{ field: 'spec.lifecycle', order: 'asc' }] })).toEqual({
      names: [['legacy', 'payments'], ['api-gw', 'web']],
      totals: [4, 4],
    });
  });

  it('supports offset, limit 0, totalItems: false and full-text filters', async () => {
    const page = await store.queryEntities({ limit: 2, offset: 8 });
    expect(page.items.map((e) => e.metadata.name)).toEqual(['alice', 'bob']);
    expect(page.pageInfo.nextCursor).toBeUndefined();
    const back = await store.queryEntities({ limit: 2, cursor: page.pageInfo.prevCursor });
    expect(back.items.map((e) => e.metadata.name)).toEqual(['team-b', 'shop']);
    expect(await store.queryEntities({ limit: 0, filter: parseFilterParams('kind=group') })).toEqual({ items: [], totalItems: 2, pageInfo: {} });
    const noCount = await store.queryEntities({ limit: 1, totalItems: false });
    expect(noCount.totalItems).toBe(0);
    expect(noCount.pageInfo.nextCursor).toBeDefined();
    const ft = await store.queryEntities({ limit: 10, fullText: { term: ' STOREFRONT ' } });
    expect(ft.items.map((e) => e.metadata.name)).toEqual(['web']);
    const ftName = await store.queryEntities({ limit: 10, fullText: { term: 'team', fields: ['metadata.name'] } });
    expect(ftName.items.map((e) => e.metadata.name)).toEqual(['team-a', 'team-b']);
    const ftOwner = await store.queryEntities({ limit: 10, fullText: { term: 'team-b', fields: ['spec.owner'] } });
    expect(ftOwner.items.map((e) => e.metadata.name)).toEqual(['orders-api', 'api-gw', 'payments']);
  });

  it('rejects bad cursors and limits', async () => {
    await expect(store.queryEntities({ limit: 1, cursor: 'garbage' })).rejects.toThrow(/invalid cursor/);
    const forged = encodeCursor({ v: 1, pos: { value: null, ref: 'a' }, dir: 'next', order: { field: 'spec.type', order: 'asc' } });
    await expect(store.queryEntities({ limit: 1, cursor: forged })).rejects.toThrow(/missing sort value/);
    await expect(store.queryEntities({ limit: -1 })).rejects.toThrow(/limit/);
    await expect(store.queryEntities({ limit: 1, order: [{ field: 'spec.ty pe', order: 'asc' }] })).rejects.toThrow(/invalid field path/);
  });

  it('returns entities with uid, etag, sorted relations, and projects fields', async () => {
    const shop = await store.getEntityByRef('System:Default/SHOP');
    expect(shop?.relations).toEqual([
      { type: 'hasPart', targetRef: 'api:default/orders-api', target: { kind: 'api', namespace: 'default', name: 'orders-api' } },
      { type: 'hasPart', targetRef: 'component:default/api-gw', target: { kind: 'component', namespace: 'default', name: 'api-gw' } },
      { type: 'hasPart', targetRef: 'component:default/web', target: { kind: 'component', namespace: 'default', name: 'web' } },
      { type: 'ownedBy', targetRef: 'group:default/team-a', target: { kind: 'group', namespace: 'default', name: 'team-a' } },
    ]);
    expect(shop?.status).toBeUndefined();
    expect(Object.keys(shop ?? {})).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'relations']);
    expect(await store.getEntityByUid(shop?.metadata.uid ?? '')).toEqual(shop);
    expect(await store.getEntityByUid('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    const api = await store.getEntityByRef('api:default/orders-api');
    expect(api?.relations?.map((r) => `${r.type} ${r.targetRef}`)).toEqual([
      'apiConsumedBy component:default/payments',
      'apiProvidedBy component:default/api-gw',
      'ownedBy group:default/team-b',
      'partOf system:default/shop',
    ]);
    const projected = await store.queryEntities({ limit: 2, fields: ['kind', 'metadata.name', 'relations'], filter: parseFilterParams('kind=user') });
    expect(projected.items).toEqual([
      {
        kind: 'User',
        metadata: { name: 'alice' },
        relations: [{ type: 'memberOf', targetRef: 'group:default/team-a', target: { kind: 'group', namespace: 'default', name: 'team-a' } }],
      },
      {
        kind: 'User',
        metadata: { name: 'bob' },
        relations: [{ type: 'memberOf', targetRef: 'group:default/team-b', target: { kind: 'group', namespace: 'default', name: 'team-b' } }],
      },
    ]);
  });

  it('reads by refs in request order, null for missing or filtered out', async () => {
    const items = await store.getEntitiesByRefs(['user:default/bob', 'component:default/missing', 'COMPONENT:default/WEB', 'component:web']);
    expect(items.map((e) => e?.metadata.name ?? null)).toEqual(['bob', null, 'web', 'web']);
    const filtered = await store.getEntitiesByRefs(['user:default/bob', 'component:default/web'], {
      filter: parseFilterParams('kind=user'),
      fields: ['metadata.name'],
    });
    expect(filtered).toEqual([{ metadata: { name: 'bob' } }, null]);
    expect(await store.getEntitiesByRefs([])).toEqual([]);
  });

  it('lists entities for GET /entities with offset or after', async () => {
    const first = await store.listEntities({ limit: 4, filter: parseFilterParams('kind=component,kind=group') });
    expect(first.items.map((e) => e.metadata.name)).toEqual(['api-gw', 'payments', 'web', 'legacy']);
    const second = await store.listEntities({ limit: 4, filter: parseFilterParams('kind=component,kind=group'), after: first.nextAfter });
    expect(second.items.map((e) => e.metadata.name)).toEqual(['team-a', 'team-b']);
    expect(second.nextAfter).toBeUndefined();
    const byOffset = await store.listEntities({ limit: 2, offset: 1, order: [{ field: 'metadata.name', order: 'desc' }] });
    expect(byOffset.items.map((e) => e.metadata.name)).toEqual(['team-b', 'team-a']);
    await expect(store.listEntities({ limit: 2, after: first.nextAfter, order: [{ field: 'metadata.name', order: 'asc' }] })).rejects.toThrow(
      /another order/,
    );
  });

  it('caches counts per generation and recounts after a write', async () => {
    const filter = parseFilterParams('kind=component');
    expect((await store.queryEntities({ filter, limit: 1 })).totalItems).toBe(4);
    const other = await leasedLocation(store, '/cat/more.yaml');
    const extra = smallCatalog()[5];
    if (!extra) throw new Error('fixture changed');
    await store.applyLocationResult(other, 'test-owner', result([{ ...extra, ref: 'component:default/extra', entity: { ...extra.entity, metadata: { name: 'extra', namespace: 'default' } }, relations: [] }]));
    expect((await store.queryEntities({ filter, limit: 1 })).totalItems).toBe(5);
    await store.deleteLocation(other);
    expect((await store.queryEntities({ filter, limit: 1 })).totalItems).toBe(4);
  });
});
