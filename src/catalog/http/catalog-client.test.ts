import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogClient } from '@backstage/catalog-client';
import { testEngines } from '../../core/testing/databases.js';
import { sharedPath, startTestTarmac, type TestTarmac } from '../../../test/helpers/tarmac.js';

// Backstage's published client (@backstage/catalog-client), used unchanged against Tarmac.
// Expected values worked out by reading ../shared/catalogs/backstage-examples.
const EXAMPLES = sharedPath('catalogs', 'backstage-examples');

describe.each(testEngines())('@backstage/catalog-client against Tarmac on %s', (engine) => {
  let t: TestTarmac;
  let client: CatalogClient;

  beforeAll(async () => {
    t = await startTestTarmac(engine, [
      { type: 'file', target: `${EXAMPLES}/all.yaml` },
      { type: 'file', target: `${EXAMPLES}/acme-corp.yaml` },
    ]);
    client = new CatalogClient({ discoveryApi: { getBaseUrl: async () => `${t.url}/api/catalog` } });
  });
  afterAll(async () => t?.close());

  it('getEntities with a filter and fields', async () => {
    const { items } = await client.getEntities({ filter: { kind: 'Component', 'spec.lifecycle': 'experimental' }, fields: ['metadata.name'] });
    expect(items.map((e) => e.metadata.name).sort()).toEqual(['artist-lookup', 'petstore', 'playback-sdk', 'podcast-api']);
  });

  it('queryEntities pages with cursors until the end', async () => {
    const seen: string[] = [];
    let res = await client.queryEntities({ filter: { kind: 'API' }, limit: 4, orderFields: { field: 'metadata.name', order: 'desc' } });
    expect(res.totalItems).toBe(10);
    seen.push(...res.items.map((e) => e.metadata.name));
    while (res.pageInfo.nextCursor) {
      res = await client.queryEntities({ cursor: res.pageInfo.nextCursor, limit: 4 });
      seen.push(...res.items.map((e) => e.metadata.name));
    }
    expect(seen).toEqual([
      'wayback-search', 'wayback-archive', 'streetlights', 'starwars-graphql', 'spotify', 'petstore-webhook', 'petstore',
      'hello-world-trpc', 'hello-world', 'backstage-mcp-server',
    ]);
  });

  it('queryEntities with a predicate query, full text and a cursor', async () => {
    const res = await client.queryEntities({
      query: { $any: [{ kind: 'system' }, { kind: 'domain' }] },
      limit: 2,
      orderFields: { field: 'metadata.name', order: 'asc' },
    });
    expect(res.totalItems).toBe(6);
    const next = await client.queryEntities({ cursor: res.pageInfo.nextCursor ?? '' });
    expect([...res.items, ...next.items].map((e) => e.metadata.name).slice(0, 4)).toEqual(['artist-engagement-portal', 'artists', 'audio', 'audio-playback']);
    const text = await client.queryEntities({ filter: { kind: 'component' }, fullTextFilter: { term: 'wayback' } });
    expect(text.totalItems).toBe(4);
  });

  it('getEntityByRef, getEntitiesByRefs and facets', async () => {
    const e = await client.getEntityByRef('component:default/petstore');
    expect(e?.spec?.providesApis).toEqual(['petstore', 'streetlights', 'hello-world']);
    expect(await client.getEntityByRef('component:default/absent')).toBeUndefined();
    const refs = await client.getEntitiesByRefs({ entityRefs: ['group:default/team-b', 'user:default/nobody', 'system:default/podcast'] });
    expect(refs.items.map((x) => x?.metadata.name)).toEqual(['team-b', undefined, 'podcast']);
    const facets = await client.getEntityFacets({ facets: ['kind'] });
    const kinds = Object.fromEntries(facets.facets.kind?.map((f) => [f.value.toLowerCase(), f.count]) ?? []);
    expect(kinds.user).toBe(17);
    expect(kinds.group).toBe(8);
  });

  it('adds, reads and removes a location; validates entities', async () => {
    const added = await client.addLocation({ type: 'url', target: `file-not-used` }).catch((err: Error) => err);
    expect(added).toBeInstanceOf(Error); // not a URL: rejected with a clear 400
    const loc = await client.addLocation({ type: 'file', target: `${EXAMPLES}/components/petstore-component.yaml` }).catch((err: Error) => err);
    // petstore is already owned by all.yaml's location: the new location registers but reports a conflict.
    expect(loc).not.toBeInstanceOf(Error);
    if (loc instanceof Error) return;
    const byId = await client.getLocationById(loc.location.id);
    expect(byId?.target).toBe(`${EXAMPLES}/components/petstore-component.yaml`);
    await client.removeLocationById(loc.location.id);
    expect(await client.getLocationById(loc.location.id)).toBeUndefined();
    expect((await client.getEntityByRef('component:default/petstore'))?.metadata.name).toBe('petstore');

    const valid = await client.validateEntity(
      { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'g' }, spec: { type: 'team', children: [] } },
      'url:https://example.com/x.yaml',
    );
    expect(valid.valid).toBe(true);
    const invalid = await client.validateEntity(
      { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: '-g' }, spec: { type: 'team', children: [] } },
      'url:https://example.com/x.yaml',
    );
    expect(invalid.valid).toBe(false);
  });
});
