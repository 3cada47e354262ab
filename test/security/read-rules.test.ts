import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../src/core/testing/databases.js';
import { startTestTarmac, type TestTarmac } from '../helpers/tarmac.js';
import { call, securityConfig, tokenFor, tokensOf, writeSecurityCatalog, type Person } from './principals.js';

type Page = { items: Array<{ metadata: { name: string } }>; totalItems: number };
const names = (items: Array<{ metadata: { name: string } } | null>) => items.map((e) => e?.metadata.name ?? null);

/**
 * Reads are filtered, not guarded (issue "Trust" › Permissions): the read rule of the security config lets viewers
 * (vera) read only entities labelled `tier: public` — of the catalog in principals.ts that is `svc-a` alone.
 */
describe.each(testEngines())('read rules filter every catalog read on %s', (engine) => {
  let t: TestTarmac;
  let tok: Record<Person, string>;
  const as = <T>(who: Person, method: string, url: string, body?: unknown) => call<T>(t, method, url, { token: tok[who], body });

  beforeAll(async () => {
    t = await startTestTarmac(engine, [{ type: 'file', target: writeSecurityCatalog() }], securityConfig);
    tok = await tokensOf(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('lists only readable entities (GET /entities, paged and streamed)', async () => {
    expect(names((await as<Page['items']>('vera', 'GET', '/api/catalog/entities?fields=metadata.name')).body)).toEqual(['svc-a']);
    expect(names((await as<Page['items']>('vera', 'GET', '/api/catalog/entities?limit=50&fields=metadata.name')).body)).toEqual(['svc-a']);
    // A member under no rule reads all 12 entities (3 groups, 4 users, 3 components, 1 API, 1 template).
    expect((await as<Page['items']>('jane', 'GET', '/api/catalog/entities?fields=metadata.name')).body).toHaveLength(12);
  });

  it('counts totalItems and facets over readable entities only, agreeing with the items', async () => {
    const q = await as<Page>('vera', 'GET', '/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name');
    expect(names(q.body.items)).toEqual(['svc-a']);
    expect(q.body.totalItems).toBe(1);
    const post = await as<Page>('vera', 'POST', '/api/catalog/entities/by-query', { query: { kind: 'component' }, fields: ['metadata.name'] });
    expect(post.body.totalItems).toBe(1);
    const facets = await as<{ facets: Record<string, Array<{ value: string; count: number }>> }>(
      'vera',
      'GET',
      '/api/catalog/entity-facets?facet=kind&facet=spec.type',
    );
    expect(facets.body.facets).toEqual({ kind: [{ value: 'Component', count: 1 }], 'spec.type': [{ value: 'service', count: 1 }] });
    const jane = await as<Page>('jane', 'GET', '/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name');
    expect(jane.body.totalItems).toBe(3);
  });

  it('keeps the restriction on cursor pages', async () => {
    const first = await as<Page & { pageInfo: { nextCursor?: string } }>('vera', 'GET', '/api/catalog/entities/by-query?limit=1&fields=metadata.name');
    expect(first.body.totalItems).toBe(1);
    expect(first.body.pageInfo.nextCursor).toBeUndefined();
    const janes = await as<Page & { pageInfo: { nextCursor?: string } }>('jane', 'GET', '/api/catalog/entities/by-query?limit=1&fields=metadata.name');
    const cursor = janes.body.pageInfo.nextCursor ?? '';
    // Jane's cursor replayed by vera: the cursor carries jane's filter only, vera's restriction still applies.
    const replay = await as<Page>('vera', 'GET', `/api/catalog/entities/by-query?cursor=${encodeURIComponent(cursor)}&limit=50`);
    // Jane's first page (ref order) is api:default/api-b; after it, vera may read only component:default/svc-a.
    expect(names(janes.body.items)).toEqual(['api-b']);
    expect(names(replay.body.items)).toEqual(['svc-a']);
    expect(replay.body.totalItems).toBe(1);
  });

  it('answers 404 for unreadable entities, like missing ones, on every single-entity read', async () => {
    for (const url of [
      '/api/catalog/entities/by-name/component/default/secret-b',
      '/api/catalog/entities/by-name/component/default/secret-b/source',
      '/api/catalog/locations/by-entity/component/default/secret-b',
    ]) {
      expect({ url, status: (await as('vera', 'GET', url)).status }).toEqual({ url, status: 404 });
      expect({ url, status: (await as('jane', 'GET', url)).status }).toEqual({ url, status: 200 });
    }
    const uid = ((await as<{ metadata: { uid: string } }>('jane', 'GET', '/api/catalog/entities/by-name/component/default/secret-b')).body).metadata.uid;
    expect((await as('vera', 'GET', `/api/catalog/entities/by-uid/${uid}`)).status).toBe(404);
    const refs = await as<{ items: Array<{ metadata: { name: string } } | null> }>('vera', 'POST', '/api/catalog/entities/by-refs', {
      entityRefs: ['component:default/svc-a', 'component:default/secret-b'],
    });
    expect(names(refs.body.items)).toEqual(['svc-a', null]);
  });

  it('never serves one caller the cached answer of another', async () => {
    const url = '/api/catalog/entities/by-name/component/default/svc-b';
    expect((await as('jane', 'GET', url)).status).toBe(200);
    const again = await as('jane', 'GET', url);
    expect(again.headers.get('x-tarmac-cache')).toBe('hit');
    expect((await as('vera', 'GET', url)).status).toBe(404);
    expect((await call(t, 'GET', url)).status).toBe(401);
  });

  it('filters search and the summary counts', async () => {
    const hits = await as<{ items: Array<{ name: string }>; totalItems: number }>('vera', 'GET', '/api/catalog/search?term=svc');
    expect(hits.body).toMatchObject({ totalItems: 1, items: [{ name: 'svc-a' }] });
    expect((await as<{ totalItems: number }>('vera', 'GET', '/api/catalog/search?term=hidden')).body.totalItems).toBe(0);
    expect((await as<{ totalItems: number }>('jane', 'GET', '/api/catalog/search?term=hidden')).body.totalItems).toBe(1);
    const summary = await as<{ totalEntities: number; countsByKind: Array<{ kind: string; count: number }> }>('vera', 'GET', '/api/catalog/summary');
    expect(summary.body.totalEntities).toBe(1);
    expect(summary.body.countsByKind).toEqual([{ kind: 'Component', count: 1 }]);
  });

  it('lets an owned-only token read only what its person owns', async () => {
    const owned = await tokenFor(t, 'bob', { ownedOnly: true });
    const res = await call<Page>(t, 'GET', '/api/catalog/entities/by-query?fields=metadata.name&limit=50', { token: owned });
    // team-b owns svc-b, secret-b, api-b and the template.
    expect(names(res.body.items).sort()).toEqual(['api-b', 'restricted', 'secret-b', 'svc-b']);
    expect(res.body.totalItems).toBe(4);
  });
});
