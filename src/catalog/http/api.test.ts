import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../core/testing/databases.js';
import { api, sharedPath, startTestTarmac, type TestTarmac } from '../../../test/helpers/tarmac.js';
import type { Entity } from '../model/entity.js';

// Expected values below were worked out by reading ../shared/catalogs/backstage-examples by hand
// (see ../shared/README.md for the per-entry-point counts).
const EXAMPLES = sharedPath('catalogs', 'backstage-examples');

interface Page {
  items: Entity[];
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

describe.each(testEngines())('catalog REST API on %s', (engine) => {
  let t: TestTarmac;
  const q = <T = Page>(p: string, init?: { method?: string; body?: unknown }) => api<T>(t.url, `/api/catalog${p}`, init);

  beforeAll(async () => {
    t = await startTestTarmac(engine, [
      { type: 'file', target: `${EXAMPLES}/all.yaml` },
      { type: 'file', target: `${EXAMPLES}/acme-corp.yaml` },
    ]);
  });
  afterAll(async () => t?.close());

  it('counts every kind of the two entry points', async () => {
    const { body } = await q<{ totalEntities: number; countsByKind: Array<{ kind: string; count: number }> }>('/summary');
    const counts = Object.fromEntries(body.countsByKind.map((c) => [c.kind.toLowerCase(), c.count]));
    expect(counts).toEqual({ location: 8, api: 10, component: 13, domain: 3, resource: 1, system: 3, group: 8, user: 17 });
    expect(body.totalEntities).toBe(63);
  });

  it('filters with AND inside a filter and OR across filters, case-insensitively', async () => {
    expect((await q('/entities/by-query?filter=kind=component,spec.type=service')).body.totalItems).toBe(10);
    expect((await q('/entities/by-query?filter=KIND=Component,spec.type=SERVICE')).body.totalItems).toBe(10);
    expect((await q('/entities/by-query?filter=kind=component&filter=kind=api')).body.totalItems).toBe(23);
    const java = await q('/entities/by-query?filter=metadata.tags.java&orderField=metadata.name,asc');
    expect(java.body.items.map((e) => e.metadata.name)).toEqual(['artist-lookup', 'playback-order', 'podcast-api']);
  });

  it('filters on relations, both directions', async () => {
    const owned = await q('/entities/by-query?filter=relations.ownedby=group:default/team-a&limit=100');
    expect(owned.body.totalItems).toBe(12);
    const members = await q('/entities/by-query?filter=kind=user,relations.memberof=group:default/team-a&limit=100');
    expect(members.body.items.map((e) => `${e.metadata.namespace}/${e.metadata.name}`).sort()).toEqual([
      'default/breanna.davison',
      'default/guest',
      'default/janelle.dawe',
      'default/nigel.manning',
      'development/guest',
    ]);
  });

  it('pages through every component with a cursor, in name order, exactly once', async () => {
    const names: string[] = [];
    let page = (await q('/entities/by-query?filter=kind=component&orderField=metadata.name,asc&limit=5&fields=metadata.name')).body;
    expect(page.totalItems).toBe(13);
    names.push(...page.items.map((e) => e.metadata.name));
    while (page.pageInfo.nextCursor) {
      page = (await q(`/entities/by-query?cursor=${encodeURIComponent(page.pageInfo.nextCursor)}&limit=5&fields=metadata.name`)).body;
      names.push(...page.items.map((e) => e.metadata.name));
    }
    expect(names).toEqual([
      'artist-lookup', 'petstore', 'playback-order', 'playback-sdk', 'podcast-api', 'queue-proxy', 'searcher',
      'shuffle-api', 'wayback-archive', 'wayback-archive-ingestion', 'wayback-archive-storage', 'wayback-search', 'www-artist',
    ]);
  });

  it('answers a predicate query', async () => {
    const res = await q('/entities/by-query', {
      body: {
        query: { $all: [{ kind: 'component' }, { $not: { 'spec.lifecycle': 'production' } }] },
        orderBy: [{ field: 'metadata.name', order: 'asc' }],
        fields: ['metadata.name'],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((e) => e.metadata.name)).toEqual(['artist-lookup', 'petstore', 'playback-sdk', 'podcast-api']);
  });

  it('returns an entity by name with relations both ways', async () => {
    const { status, body } = await q<Entity>('/entities/by-name/Component/default/ARTIST-LOOKUP');
    expect(status).toBe(200);
    const rels = (body.relations ?? []).map((r) => `${r.type} ${r.targetRef}`);
    expect(rels).toEqual(expect.arrayContaining([
      'ownedBy group:default/team-a',
      'partOf system:default/artist-engagement-portal',
      'dependsOn resource:default/artists-db',
    ]));
    const db = await q<Entity>('/entities/by-name/resource/default/artists-db');
    expect((db.body.relations ?? []).map((r) => `${r.type} ${r.targetRef}`)).toContain('dependencyOf component:default/artist-lookup');
    expect(body.metadata.annotations?.['backstage.io/managed-by-location']).toBe(`file:${EXAMPLES}/components/artist-lookup-component.yaml`);
    expect(body.metadata.annotations?.['backstage.io/managed-by-origin-location']).toBe(`file:${EXAMPLES}/all.yaml`);
    expect((await q('/entities/by-name/component/default/nope')).status).toBe(404);
  });

  it('returns by-refs in request order with null for missing refs', async () => {
    const { body } = await q<{ items: Array<Entity | null> }>('/entities/by-refs', {
      body: { entityRefs: ['component:default/artist-lookup', 'component:default/missing', 'API:default/PETSTORE'], fields: ['metadata.name'] },
    });
    expect(body.items.map((e) => e?.metadata.name ?? null)).toEqual(['artist-lookup', null, 'petstore']);
  });

  it('counts facets over a filter', async () => {
    const { body } = await q<{ facets: Record<string, Array<{ value: string; count: number }>> }>(
      '/entity-facets?facet=spec.lifecycle&filter=kind=component',
    );
    const lifecycle = Object.fromEntries((body.facets['spec.lifecycle'] ?? []).map((f) => [f.value, f.count]));
    expect(lifecycle).toEqual({ production: 9, experimental: 4 });
  });

  it('resolves a relative $text from a file location and shows remote ones as errors on their entity', async () => {
    const webhook = await q<Entity>('/entities/by-name/api/default/petstore-webhook');
    expect(String(webhook.body.spec?.definition)).toMatch(/^openapi: 3\.1\.0/);
    for (const name of ['spotify', 'wayback-archive', 'wayback-search']) {
      const { status, body } = await q<Entity>(`/entities/by-name/api/default/${name}`);
      expect(status).toBe(200);
      expect(body.status?.items[0]?.message).toMatch(/not allowed|allow/i);
    }
    const errors = await q<{ items: Array<{ code: string; entityRef: string | null }>; totalItems: number }>('/errors?limit=50');
    expect(errors.body.items.filter((e) => e.code === 'placeholder').map((e) => e.entityRef).sort()).toEqual([
      'api:default/spotify',
      'api:default/wayback-archive',
      'api:default/wayback-search',
    ]);
  });

  it('validates an entity without storing it', async () => {
    const ok = await q('/validate-entity', {
      body: { location: 'url:x', entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' }, spec: { type: 'service', lifecycle: 'production', owner: 'team-a' } } },
    });
    expect(ok.status).toBe(200);
    const bad = await q<{ error: { code: string; message: string } }>('/validate-entity', {
      body: { location: 'url:x', entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'bad name' }, spec: { type: 'service' } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('metadata.name');
    expect(bad.body.error.message).toContain('spec.owner');
  });

  it('streams GET /entities without pagination and pages it with limit and a Link header', async () => {
    const all = await q<Entity[]>('/entities?filter=kind=user');
    expect(all.body).toHaveLength(17);
    const page = await q<Entity[]>('/entities?filter=kind=user&limit=10');
    expect(page.body).toHaveLength(10);
    expect(page.headers.get('link')).toMatch(/after=.*rel="next"/);
  });

  it('ranks name matches above description-only matches in full-text search', async () => {
    // "playback" is in the name of four entities and only in the description of system podcast ("Podcast playback").
    const { body } = await q<{ items: Array<{ entityRef: string }>; totalItems: number }>('/search?term=playback');
    const refs = body.items.map((i) => i.entityRef);
    expect(refs.slice(0, 4).sort()).toEqual([
      'component:default/playback-order',
      'component:default/playback-sdk',
      'domain:default/playback',
      'system:default/audio-playback',
    ]);
    expect(refs).toContain('system:default/podcast');
    expect(refs.indexOf('system:default/podcast')).toBeGreaterThanOrEqual(4);
  });

  it('rejects bad input with the error body and a request id', async () => {
    const res = await q<{ error: { code: string }; requestId: string }>('/entities/by-query?limit=-1');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.requestId).toBeTruthy();
    const cursor = await q<{ error: { code: string } }>('/entities/by-query?cursor=not-a-cursor');
    expect(cursor.status).toBe(400);
  });

  it('publishes an OpenAPI document listing the catalog routes', async () => {
    const { body } = await api<{ paths: Record<string, unknown> }>(t.url, '/api/openapi.json');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/catalog/entities/by-query', '/api/catalog/locations']));
  });
});
