import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../core/testing/databases.js';
import { openTestDatabase, testEngines } from '../../core/testing/databases.js';
import { isTarmacError } from '../../core/errors.js';
import { catalogMigrations } from './migrations.js';
import type { CatalogStore } from './index.js';
import { createCatalogStore } from './index.js';
import { leasedLocation, pe, rel, result } from './testing/fixtures.js';

const FUTURE = new Date(Date.now() + 3600_000);

describe.each(testEngines())('locations on %s', (engine) => {
  let t: TestDatabase;
  let store: CatalogStore;
  beforeAll(async () => {
    t = await openTestDatabase(engine, catalogMigrations);
    store = createCatalogStore(t.db);
  });
  afterAll(async () => t?.close());

  it('registers a location once per (type, target, branch, path), due at once', async () => {
    const a = await store.insertLocation({ type: 'url', target: 'https://x/a.yaml', origin: 'api' });
    const b = await store.insertLocation({ type: 'url', target: 'https://x/a.yaml', origin: 'cli' });
    const c = await store.insertLocation({ type: 'git', target: 'https://x/r.git', branch: 'main', path: '*.yaml', origin: 'config' });
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.location.id).toBe(a.location.id);
    expect(b.location.origin).toBe('api');
    expect(a.location).toMatchObject({ branch: '', path: '', lastStatus: 'pending', lastSummary: null, progress: null });
    expect(c.location).toMatchObject({ type: 'git', branch: 'main', path: '*.yaml' });
    expect(new Date(a.location.nextRefreshAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await store.getLocation(a.location.id)).toEqual(a.location);
    expect(await store.findLocation('git', 'https://x/r.git', 'main', '*.yaml')).toEqual(c.location);
    expect(await store.getLocation('nope')).toBeUndefined();
    // clean up for the claim tests below
    expect(await store.deleteLocation(a.location.id)).toBe(true);
    expect(await store.deleteLocation(c.location.id)).toBe(true);
    expect(await store.deleteLocation(c.location.id)).toBe(false);
  });

  it('leases due locations to one owner at a time and releases them', async () => {
    const { location } = await store.insertLocation({ type: 'file', target: '/leases.yaml', origin: 'api' });
    const claimed = await store.claimDueLocation('p1', 60_000);
    expect(claimed?.id).toBe(location.id);
    expect(claimed?.lastStatus).toBe('processing');
    expect(claimed?.lastStartedAt).not.toBeNull();
    expect(await store.claimDueLocation('p2', 60_000)).toBeUndefined(); // leased
    expect(await store.claimLocation(location.id, 'p2', 60_000)).toBeUndefined(); // live lease of p1
    expect((await store.claimLocation(location.id, 'p1', 60_000))?.id).toBe(location.id); // same owner renews

    await store.setProgress(location.id, 'p1', { phase: 'reading', done: 3, total: 10 });
    await store.setProgress(location.id, 'p2', { phase: 'ignored', done: 0, total: null });
    expect((await store.getLocation(location.id))?.progress).toEqual({ phase: 'reading', done: 3, total: 10 });

    const summary = { added: 1, updated: 0, removed: 0, unchanged: 0, conflicts: 0, errors: 0, durationMs: 12 };
    await store.releaseLocation(location.id, 'p2', { status: 'failed', nextRefreshAt: FUTURE }); // not the owner: no-op
    expect((await store.getLocation(location.id))?.lastStatus).toBe('processing');
    await store.releaseLocation(location.id, 'p1', { status: 'ok', summary, nextRefreshAt: FUTURE });
    const released = await store.getLocation(location.id);
    expect(released).toMatchObject({ lastStatus: 'ok', lastSummary: summary, progress: { phase: 'reading', done: 3, total: 10 } });
    expect(released?.lastFinishedAt).not.toBeNull();
    expect(new Date(released?.nextRefreshAt ?? 0).getTime()).toBe(FUTURE.getTime());

    expect(await store.claimDueLocation('p2', 60_000)).toBeUndefined(); // not due
    expect((await store.claimLocation(location.id, 'p2', 60_000))?.id).toBe(location.id); // explicit refresh
    await store.releaseLocation(location.id, 'p2', { status: 'failed', nextRefreshAt: FUTURE, progress: null });
    expect(await store.getLocation(location.id)).toMatchObject({ lastStatus: 'failed', lastSummary: summary, progress: null });

    await store.scheduleRefresh(location.id);
    expect((await store.claimDueLocation('p3', 1))?.id).toBe(location.id);
    await new Promise((r) => setTimeout(r, 20));
    expect((await store.claimDueLocation('p4', 60_000))?.id).toBe(location.id); // p3's lease expired
    await store.deleteLocation(location.id);
  });

  it('deletes a location with its entities, the relations they produced and its errors', async () => {
    const groups = await leasedLocation(store, '/groups.yaml');
    await store.applyLocationResult(groups, 'test-owner', result([pe('Group', 'team-a', { spec: { type: 'team' } })]));
    const comps = await leasedLocation(store, '/components.yaml');
    const web = pe('Component', 'web', {
      spec: { type: 'website', owner: 'team-a' },
      relations: rel('component:default/web', 'ownedBy', 'group:default/team-a', 'ownerOf'),
    });
    await store.applyLocationResult(comps, 'test-owner', result([web], { errors: [{ code: 'fetch', message: 'x.yaml: 404' }] }));
    expect((await store.getEntityByRef('group:default/team-a'))?.relations).toEqual([
      { type: 'ownerOf', targetRef: 'component:default/web', target: { kind: 'component', namespace: 'default', name: 'web' } },
    ]);
    const listed = await store.listLocations({ limit: 10, offset: 0 });
    expect(listed.totalItems).toBe(2);
    expect(listed.items.map((l) => [l.target, l.entityCount, l.errorCount])).toEqual([
      ['/groups.yaml', 1, 0],
      ['/components.yaml', 1, 1],
    ]);
    expect((await store.listLocations({ limit: 1, offset: 1 })).items.map((l) => l.target)).toEqual(['/components.yaml']);
    expect((await store.getEntitiesOfLocation(comps, 10)).map((e) => e.metadata.name)).toEqual(['web']);

    expect(await store.deleteLocation(comps)).toBe(true);
    expect(await store.getEntityByRef('component:default/web')).toBeUndefined();
    expect((await store.getEntityByRef('group:default/team-a'))?.relations).toEqual([]);
    expect((await store.listErrors({ limit: 10, offset: 0 })).totalItems).toBe(0);
    expect((await store.summary()).totalEntities).toBe(1);
    expect(await store.deleteLocationsByOriginExcept('api', [])).toBe(1);
    expect((await store.listLocations({ limit: 10, offset: 0 })).totalItems).toBe(0);
  });

  it('refuses to apply a read without the lease, writing nothing', async () => {
    const id = await leasedLocation(store, '/lease-check.yaml', 'owner-1');
    const read = result([pe('Component', 'x', { spec: { type: 'service' } })]);
    const err = await store.applyLocationResult(id, 'owner-2', read).catch((e: unknown) => e);
    expect(isTarmacError(err, 'CONFLICT')).toBe(true);
    expect((err as Error).message).toMatch(/lease lost/);
    await store.claimLocation(id, 'owner-1', 1);
    await new Promise((r) => setTimeout(r, 20));
    const expired = await store.applyLocationResult(id, 'owner-1', read).catch((e: unknown) => e);
    expect(isTarmacError(expired, 'CONFLICT')).toBe(true);
    expect(await store.getEntityByRef('component:default/x')).toBeUndefined();
    await store.deleteLocation(id);
  });

  it.runIf(engine === 'postgres')('never gives the same location to two processes claiming at once', async () => {
    const other = createCatalogStore(await (t.openAnother as () => Promise<typeof t.db>)());
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await store.insertLocation({ type: 'file', target: `/due-${i}.yaml`, origin: 'api' })).location.id);
    for (let round = 0; round < 3; round++) {
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).claimDueLocation(`proc-${round}-${i}`, 60_000)),
      );
      const got = claims.filter((c) => c !== undefined).map((c) => c.id);
      expect(new Set(got).size).toBe(got.length); // no location twice
      expect(got.length).toBe(5); // and every due location went to someone
      expect(new Set(got)).toEqual(ids);
      for (const id of got) await store.scheduleRefresh(id);
      await t.db.query('UPDATE catalog_locations SET lease_owner = NULL, lease_until = NULL');
    }
    for (const id of ids) await store.deleteLocation(id);
  });
});
