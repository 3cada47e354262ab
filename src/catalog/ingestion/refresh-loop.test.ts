import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config.js';
import { silentLogger } from '../../core/logger.js';
import { createMetrics } from '../../core/metrics.js';
import { openTestDatabase, testEngines, type TestDatabase } from '../../core/testing/databases.js';
import { catalogMigrations, createCatalogStore, type CatalogStore } from '../storage/index.js';
import { createRefreshLoop, type RefreshLoop } from './refresh-loop.js';
import { component, docs, location, tempTree, type TempTree } from './testing/trees.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const EXAMPLES = path.resolve(here, '../../../../shared/catalogs/backstage-examples');

describe.each(testEngines())('refresh loop on %s', (engine) => {
  let t: TestDatabase;
  let store: CatalogStore;
  let loop: RefreshLoop;
  let tree: TempTree;
  const metrics = createMetrics();

  beforeAll(async () => {
    t = await openTestDatabase(engine, catalogMigrations);
    store = createCatalogStore(t.db);
    tree = tempTree();
    loop = createRefreshLoop({
      store,
      logger: silentLogger(),
      metrics,
      config: { catalog: { refreshIntervalSeconds: 100, reading: defaultConfig().catalog.reading } },
      dataDir: tree.p('.data'),
      processId: `test-${engine}`,
    });
  });
  afterAll(async () => {
    await loop.stop();
    await t.close();
    tree.remove();
  });

  const add = async (target: string, type: 'file' | 'git' = 'file') =>
    (await store.insertLocation({ type, target, origin: 'api' })).location.id;
  const kindCounts = async (locationId: string) =>
    t.db.query<{ kind: string; n: number }>(
      `SELECT entity->>'kind' AS kind, count(*)::int AS n FROM catalog_entities WHERE location_id = $1
       GROUP BY 1 ORDER BY 1`,
      [locationId],
    );
  const etagOf = async (ref: string) => (await store.getEntityByRef(ref))?.metadata.etag;

  it('ingests the Backstage examples: counts by kind, stored relations and placeholder errors', async () => {
    const all = await add(path.join(EXAMPLES, 'all.yaml'));
    const acme = await add(path.join(EXAMPLES, 'acme-corp.yaml'));
    expect(await loop.runDueOnce()).toBe(2);
    expect(await kindCounts(all)).toEqual([
      { kind: 'API', n: 10 },
      { kind: 'Component', n: 13 },
      { kind: 'Domain', n: 3 },
      { kind: 'Location', n: 6 },
      { kind: 'Resource', n: 1 },
      { kind: 'System', n: 3 },
    ]);
    expect(await kindCounts(acme)).toEqual([
      { kind: 'Group', n: 8 },
      { kind: 'Location', n: 2 },
      { kind: 'User', n: 17 },
    ]);
    const errors = await store.listErrors({ locationId: all, limit: 100, offset: 0 });
    expect(errors.items.map((e) => [e.code, e.entityRef, e.fieldPath])).toEqual([
      ['placeholder', 'api:default/spotify', 'spec.definition'],
      ['placeholder', 'api:default/wayback-archive', 'spec.definition'],
      ['placeholder', 'api:default/wayback-search', 'spec.definition'],
    ]);
    const spotify = await store.getEntityByRef('api:default/spotify');
    expect(spotify?.status?.items[0]?.message).toContain('host github.com is not in catalog.reading.allow');
    const petstore = await store.getEntityByRef('component:default/petstore');
    expect(petstore?.relations?.map((r) => `${r.type} ${r.targetRef}`).sort()).toEqual([
      'ownedBy group:default/team-c',
      'providesApi api:default/hello-world',
      'providesApi api:default/petstore',
      'providesApi api:default/streetlights',
    ]);
    const teamA = await store.getEntityByRef('group:default/team-a');
    const members = teamA?.relations?.filter((r) => r.type === 'hasMember').map((r) => r.targetRef).sort();
    expect(members).toEqual([
      'user:default/breanna.davison',
      'user:default/guest',
      'user:default/janelle.dawe',
      'user:default/nigel.manning',
      'user:development/guest',
    ]);
    const rec = await store.getLocation(all);
    expect(rec?.lastStatus).toBe('ok');
    expect(rec?.lastSummary).toMatchObject({ added: 36, updated: 0, removed: 0, errors: 3 });
    expect(rec?.progress).toBeNull();
    expect(Date.parse(rec?.nextRefreshAt ?? '') - Date.now()).toBeGreaterThan(85_000);
    const text = await metrics.registry.getSingleMetricAsString('tarmac_catalog_ingested_entities_total');
    expect(text).toContain('tarmac_catalog_ingested_entities_total{result="added"} 63');
    const errText = await metrics.registry.getSingleMetricAsString('tarmac_catalog_ingestion_errors_total');
    expect(errText).toContain('tarmac_catalog_ingestion_errors_total{code="placeholder"} 3');
  });

  it('refresh semantics: unchanged costs nothing, change updates, removal counts, broken YAML keeps, fix clears', async () => {
    tree.write({
      'r/root.yaml': docs(location('r-root', ['./svc.yaml'])),
      'r/svc.yaml': docs(component('r-a'), component('r-b'), component('r-c')),
    });
    const id = await add(tree.p('r/root.yaml'));
    expect(await loop.refreshNow(id)).toMatchObject({ added: 4, updated: 0, removed: 0, unchanged: 0 });
    const etag = await etagOf('component:default/r-a');
    const generation = async () => (await t.db.query<{ generation: number }>('SELECT generation FROM catalog_state'))[0]?.generation;
    const gen = await generation();

    expect(await loop.refreshNow(id)).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 4 });
    expect(await generation()).toBe(gen);
    expect(await etagOf('component:default/r-a')).toBe(etag);

    // same number of lines, so r-b keeps its source position and stays unchanged
    tree.write({ 'r/svc.yaml': docs(component('r-a', { owner: 'team-b' }), component('r-b')) });
    expect(await loop.refreshNow(id)).toMatchObject({ added: 0, updated: 1, removed: 1, unchanged: 2 });
    const a = await store.getEntityByRef('component:default/r-a');
    expect(a?.spec?.owner).toBe('team-b');
    expect(a?.relations?.map((r) => `${r.type} ${r.targetRef}`)).toEqual(['ownedBy group:default/team-b']);
    expect(a?.metadata.etag).not.toBe(etag);
    expect(await store.getEntityByRef('component:default/r-c')).toBeUndefined();

    tree.write({ 'r/svc.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: [Component\n' });
    expect(await loop.refreshNow(id)).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 3 });
    const broken = await store.listErrors({ locationId: id, limit: 10, offset: 0 });
    expect(broken.items).toMatchObject([{ code: 'yaml_syntax', sourceFile: `file:${tree.p('r/svc.yaml')}`, line: 3 }]);
    expect(await store.getEntityByRef('component:default/r-b')).toBeDefined();

    tree.write({ 'r/svc.yaml': docs(component('r-a', { owner: 'team-b' }), component('r-b')) });
    expect(await loop.refreshNow(id)).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 3, errors: 0 });
    expect((await store.listErrors({ locationId: id, limit: 10, offset: 0 })).totalItems).toBe(0);
  });

  it('keeps every entity when the root file cannot be read, with a fetch error and status failed', async () => {
    tree.write({ 'gone/root.yaml': docs(component('g-a'), location('g-loc', ['./child.yaml'])), 'gone/child.yaml': component('g-b') });
    const id = await add(tree.p('gone/root.yaml'));
    expect(await loop.refreshNow(id)).toMatchObject({ added: 3 });
    rmSync(tree.p('gone/root.yaml'));
    tree.write({ 'gone/child.yaml': component('g-b', { description: 'still read through the kept Location' }) });
    expect(await loop.refreshNow(id)).toMatchObject({ added: 0, updated: 1, removed: 0, unchanged: 2 });
    expect((await store.getEntityByRef('component:default/g-b'))?.metadata.description).toBe('still read through the kept Location');
    const errors = await store.listErrors({ locationId: id, limit: 10, offset: 0 });
    expect(errors.items.map((e) => [e.code, e.message])).toEqual([['fetch', `file not found: ${tree.p('gone/root.yaml')}`]]);
    expect((await store.getLocation(id))?.lastStatus).toBe('failed');
  });

  it('keeps every entity when a git repository cannot be cloned at all', async () => {
    const repoDir = tree.p('no-such-repo');
    const id = await add(repoDir, 'git');
    // entities previously stored for this location (e.g. by a process with another data dir)
    tree.write({ 'fake/catalog-info.yaml': component('from-elsewhere') });
    const first = await add(tree.p('fake/catalog-info.yaml'));
    await loop.refreshNow(first);
    await t.db.query(
      `UPDATE catalog_entities SET location_id = $1,
         entity = jsonb_set(entity, '{metadata,annotations,backstage.io/managed-by-origin-location}', to_jsonb($2::text)),
         search_keys = array_append(search_keys, $3)
       WHERE entity_ref = 'component:default/from-elsewhere'`,
      [id, `git:${repoDir}`, `metadata.annotations.backstage.io/managed-by-origin-location=git:${repoDir}`.toLowerCase()],
    );
    expect(await loop.refreshNow(id)).toMatchObject({ removed: 0, unchanged: 1, errors: 1 });
    expect(await store.getEntityByRef('component:default/from-elsewhere')).toBeDefined();
    expect((await store.getLocation(id))?.lastStatus).toBe('failed');
  });

  it('start() processes due locations, becomes ready, and stop() waits for the run', async () => {
    tree.write({ 'loop/a.yaml': component('loop-a') });
    await add(tree.p('loop/a.yaml'));
    const other = createRefreshLoop({
      store,
      logger: silentLogger(),
      metrics,
      config: { catalog: { refreshIntervalSeconds: 100, reading: defaultConfig().catalog.reading } },
      dataDir: tree.p('.data'),
      processId: `test-${engine}-2`,
      pollIntervalMs: 50,
    });
    expect(other.isReady()).toBe(false);
    other.start();
    for (let i = 0; i < 200 && !other.isReady(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(other.isReady()).toBe(true);
    expect(await store.getEntityByRef('component:default/loop-a')).toBeDefined();
    await other.stop();
  });

  it('a git location: a new commit updates, adds and removes entities', async () => {
    const repo = tempTree({ 'catalog-info.yaml': docs(component('git-a'), component('git-b')) });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: repo.dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    const id = (await store.insertLocation({ type: 'git', target: repo.dir, branch: 'main', origin: 'api' })).location.id;
    expect(await loop.refreshNow(id)).toMatchObject({ added: 2, errors: 0 });
    expect((await store.getEntityByRef('component:default/git-a'))?.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': `git:${repo.dir}/blob/main/catalog-info.yaml`,
      'backstage.io/managed-by-origin-location': `git:${repo.dir}`,
    });
    repo.write({ 'catalog-info.yaml': docs(component('git-a', { owner: 'team-z' })), 'svc/catalog-info.yaml': component('git-c') });
    git('add', '-A');
    git('commit', '-q', '-m', 'two');
    expect(await loop.refreshNow(id)).toMatchObject({ added: 1, updated: 1, removed: 1, unchanged: 0 });
    expect((await store.getEntityByRef('component:default/git-a'))?.spec?.owner).toBe('team-z');
    expect(await store.getEntityByRef('component:default/git-b')).toBeUndefined();
    repo.remove();
  });

  it('with refreshIntervalSeconds 0, start() reads each location once and schedules no refresh', async () => {
    tree.write({ 'once/a.yaml': component('once-a') });
    const id = await add(tree.p('once/a.yaml'));
    const once = createRefreshLoop({
      store,
      logger: silentLogger(),
      metrics,
      config: { catalog: { refreshIntervalSeconds: 0, reading: defaultConfig().catalog.reading } },
      dataDir: tree.p('.data'),
      processId: `test-${engine}-once`,
      pollIntervalMs: 20,
    });
    once.start();
    for (let i = 0; i < 200 && !once.isReady(); i++) await new Promise((r) => setTimeout(r, 50));
    await once.stop();
    const rec = await store.getLocation(id);
    expect(rec?.lastStatus).toBe('ok');
    expect(Date.parse(rec?.nextRefreshAt ?? '') - Date.now()).toBeGreaterThan(365 * 24 * 3600 * 1000);
  });

  it('a ref claimed by two locations: the first keeps it, the second shows a conflict until fixed', async () => {
    tree.write({ 'dup/a.yaml': component('dup-x', { description: 'from a' }), 'dup/b.yaml': component('dup-x', { description: 'from b' }) });
    const first = await add(tree.p('dup/a.yaml'));
    const second = await add(tree.p('dup/b.yaml'));
    await loop.refreshNow(first);
    expect(await loop.refreshNow(second)).toMatchObject({ added: 0, conflicts: 1, errors: 1 });
    expect(await loop.refreshNow(first)).toMatchObject({ unchanged: 1, conflicts: 0 });
    expect((await store.getEntityByRef('component:default/dup-x'))?.metadata.description).toBe('from a');
    const errors = await store.listErrors({ locationId: second, limit: 10, offset: 0 });
    expect(errors.items).toMatchObject([{ code: 'conflict', entityRef: 'component:default/dup-x', sourceFile: `file:${tree.p('dup/b.yaml')}` }]);
    tree.write({ 'dup/b.yaml': component('dup-y') });
    expect(await loop.refreshNow(second)).toMatchObject({ added: 1, conflicts: 0, errors: 0 });
  });

  it('refreshNow on an unknown id is NOT_FOUND', async () => {
    await expect(loop.refreshNow('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
