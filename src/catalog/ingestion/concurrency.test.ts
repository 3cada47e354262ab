import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config.js';
import { isTarmacError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { createMetrics } from '../../core/metrics.js';
import { openTestDatabase, type TestDatabase } from '../../core/testing/databases.js';
import { catalogMigrations, createCatalogStore, type CatalogStore } from '../storage/index.js';
import { createRefreshLoop, type RefreshLoopOptions } from './refresh-loop.js';
import { component, tempTree, type TempTree } from './testing/trees.js';

/**
 * Two Tarmac processes on one PostgreSQL server (only when TARMAC_TEST_DATABASE_URL is set): leases keep them from
 * processing a location at the same time, no update is lost, and kill -9 during an import leaves the previous
 * complete state, completed by the next refresh once the lease expires.
 */
const url = process.env.TARMAC_TEST_DATABASE_URL;
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Interval = { location: string; owner: string; start: number; end: number };

/** Wraps a store so every lease held (claim → release) is recorded as an interval (ms, this process's clock). */
function recording(store: CatalogStore, owner: string, log: Interval[]): CatalogStore {
  const active = new Map<string, Interval>();
  const begin = (id: string) => {
    if (active.has(id)) return; // a renewal of the lease already held
    const i = { location: id, owner, start: performance.now(), end: Number.POSITIVE_INFINITY };
    active.set(id, i);
    log.push(i);
  };
  const finish = (id: string) => {
    const i = active.get(id);
    if (i) i.end = performance.now();
    active.delete(id);
  };
  return {
    ...store,
    claimDueLocation: async (o, ms) => {
      const r = await store.claimDueLocation(o, ms);
      if (r) begin(r.id);
      return r;
    },
    claimLocation: async (id, o, ms) => {
      const r = await store.claimLocation(id, o, ms);
      if (r) begin(id);
      return r;
    },
    applyLocationResult: async (id, o, result, p) => {
      try {
        return await store.applyLocationResult(id, o, result, p);
      } catch (err) {
        finish(id);
        throw err;
      }
    },
    releaseLocation: async (id, o, outcome) => {
      finish(id); // before the release commits, so the next claim can only come later
      return store.releaseLocation(id, o, outcome);
    },
  };
}

/** Writes a file atomically (temp + rename), so a reader never sees half of it. */
function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

describe.skipIf(!url)('two processes on PostgreSQL', () => {
  let t: TestDatabase;
  let tree: TempTree;
  beforeAll(async () => {
    t = await openTestDatabase('postgres', catalogMigrations);
    tree = tempTree();
  });
  afterAll(async () => {
    await t?.close();
    tree?.remove();
  });

  const loopOptions = (store: CatalogStore, processId: string, over: Partial<RefreshLoopOptions> = {}): RefreshLoopOptions => ({
    store,
    logger: silentLogger(),
    metrics: createMetrics(),
    config: { catalog: { refreshIntervalSeconds: 0.05, reading: defaultConfig().catalog.reading } },
    dataDir: tree.p('.data'),
    processId,
    pollIntervalMs: 5,
    ...over,
  });

  it('never process the same location at once and never lose an update', async () => {
    const log: Interval[] = [];
    const storeA = recording(createCatalogStore(t.db), 'A', log);
    const other = await (t.openAnother as () => Promise<TestDatabase['db']>)();
    const storeB = recording(createCatalogStore(other), 'B', log);
    const N = 6;
    const counters = new Array<number>(N).fill(0);
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      tree.write({ [`race/${i}.yaml`]: component(`race-${i}`, { description: 'n0' }) });
      ids.push((await storeA.insertLocation({ type: 'file', target: tree.p(`race/${i}.yaml`), origin: 'api' })).location.id);
    }
    const a = createRefreshLoop(loopOptions(storeA, 'proc-A'));
    const b = createRefreshLoop(loopOptions(storeB, 'proc-B'));
    a.start();
    b.start();
    const seen = new Array<number>(N).fill(-1);
    let regressions = 0;
    const until = Date.now() + 3000;
    const writer = (async () => {
      while (Date.now() < until) {
        const i = Math.floor(Math.random() * N);
        counters[i] = (counters[i] ?? 0) + 1;
        writeAtomic(tree.p(`race/${i}.yaml`), component(`race-${i}`, { description: `n${counters[i]}` }));
        if (Math.random() < 0.3) void (Math.random() < 0.5 ? a : b).refreshNow(ids[i] as string).catch(() => undefined);
        await sleep(7);
      }
    })();
    const watcher = (async () => {
      while (Date.now() < until) {
        const rows = await t.db.query<{ name: string; d: string }>(
          `SELECT name, entity->'metadata'->>'description' AS d FROM catalog_entities WHERE name LIKE 'race-%'`,
        );
        for (const r of rows) {
          const i = Number(r.name.slice(5));
          const n = Number(r.d.slice(1));
          if (n < (seen[i] ?? -1)) regressions++;
          seen[i] = Math.max(seen[i] ?? -1, n);
        }
        await sleep(10);
      }
    })();
    await Promise.all([writer, watcher]);
    await Promise.all([a.stop(), b.stop()]);
    for (const id of ids) await a.refreshNow(id);

    expect(regressions).toBe(0);
    const rows = await t.db.query<{ name: string; d: string }>(
      `SELECT name, entity->'metadata'->>'description' AS d FROM catalog_entities WHERE name LIKE 'race-%' ORDER BY name`,
    );
    expect(rows.map((r) => Number(r.d.slice(1)))).toEqual(counters);
    // both processes worked, and for each location the lease intervals never overlap
    expect(new Set(log.map((i) => i.owner))).toEqual(new Set(['A', 'B']));
    for (const id of ids) {
      const mine = log.filter((i) => i.location === id).sort((x, y) => x.start - y.start);
      expect(mine.length).toBeGreaterThan(2);
      for (let k = 1; k < mine.length; k++) {
        expect(mine[k]?.start ?? 0).toBeGreaterThanOrEqual(mine[k - 1]?.end ?? Infinity);
      }
    }
  });

  it('kill -9 during a 20,000-entity import leaves the previous complete set; the next refresh completes it', async () => {
    // The child is a separate Node process running the real code: bundle its entry (TypeScript) with Vite into
    // node_modules/.cache so its bare imports (pg, yaml, undici…) resolve from the project.
    await build({
      configFile: false,
      logLevel: 'warn',
      root,
      build: {
        ssr: path.join(here, 'testing/import-child.ts'),
        outDir: path.join(root, 'node_modules/.cache/tarmac-ingest-test'),
        emptyOutDir: true,
        target: 'node20',
        minify: false,
        rollupOptions: { output: { format: 'es', entryFileNames: 'import-child.mjs' } },
      },
    });
    const childScript = path.join(root, 'node_modules/.cache/tarmac-ingest-test/import-child.mjs');
    const file = tree.p('big/catalog.yaml');
    const version = (names: string, desc: string, from: number, to: number) => {
      const parts: string[] = [];
      for (let i = from; i < to; i++) parts.push(component(`${names}-${i}`, { description: desc, owner: `team-${i % 50}` }));
      return parts.join('---\n');
    };
    // v1: big-0 … big-19999; v2: big-1000 … big-20999 (1,000 removed, 1,000 added, 19,000 changed)
    tree.write({ 'big/catalog.yaml': version('big', 'v1', 0, 20_000) });
    const store = createCatalogStore(t.db);
    const id = (await store.insertLocation({ type: 'file', target: file, origin: 'api' })).location.id;
    const config = { catalog: { refreshIntervalSeconds: 100, reading: defaultConfig().catalog.reading } };
    const parent = createRefreshLoop(loopOptions(store, 'parent', { config }));
    expect(await parent.refreshNow(id)).toMatchObject({ added: 20_000 });
    writeAtomic(file, version('big', 'v2', 1_000, 21_000));

    const appName = `tarmac-kill-${process.pid}`;
    const childUrl = `${url}${url?.includes('?') ? '&' : '?'}application_name=${appName}`;
    const child: ChildProcess = spawn(process.execPath, [childScript, childUrl, t.schema ?? '', id, tree.p('.child-data'), '4000'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exited = false;
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', () => (exited = true));
    // kill it while its apply transaction is open (seen in pg_stat_activity under its application_name)
    let inTransaction = false;
    for (let i = 0; i < 6000 && !exited; i++) {
      const open = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND xact_start IS NOT NULL
           AND query ILIKE '%catalog_entities%'`,
        [appName],
      );
      if ((open[0]?.n ?? 0) > 0) {
        inTransaction = true;
        break;
      }
      await sleep(10);
    }
    child.kill('SIGKILL');
    await new Promise((r) => (exited ? r(undefined) : child.on('exit', r)));
    expect({ inTransaction, output }).toEqual({ inTransaction: true, output: '' }); // killed in its write transaction

    const state = async () =>
      t.db.query<{ d: string; n: number; first: string; last: string }>(
        `SELECT entity->'metadata'->>'description' AS d, count(*)::int AS n, min(name) AS first, max(name) AS last
         FROM catalog_entities WHERE location_id = $1 GROUP BY 1`,
        [id],
      );
    const relationCount = async () =>
      Number(
        (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalog_relations WHERE origin_ref LIKE 'component:default/big-%'`))[0]?.n,
      );
    // the previous complete set: 20,000 v1 entities, each with its owner relation (one stored row per pair:
    // ownedBy; ownerOf is derived on read)
    expect(await state()).toEqual([{ d: 'v1', n: 20_000, first: 'big-0', last: 'big-9999' }]);
    expect(await relationCount()).toBe(20_000);
    expect((await store.getLocation(id))?.lastStatus).toBe('processing'); // the child's lease is still live

    // another process takes over once the child's 4 s lease has expired
    const started = Date.now();
    const summary = await parent.refreshNow(id).catch((err: unknown) => {
      throw isTarmacError(err) ? err : new Error(String(err));
    });
    expect(Date.now() - started).toBeGreaterThan(500);
    expect(summary).toMatchObject({ added: 1_000, updated: 19_000, removed: 1_000 });
    expect(await state()).toEqual([{ d: 'v2', n: 20_000, first: 'big-1000', last: 'big-9999' }]);
    expect(await relationCount()).toBe(20_000);
    expect((await store.getLocation(id))?.lastStatus).toBe('ok');
  }, 240_000); // three reads of 20,000 YAML documents on 2 shared cores
});
