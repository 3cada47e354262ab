// Storage-level benchmark of the catalog's SQL layer (no HTTP, no YAML): generates N synthetic ProcessedEntity
// (60 % Component, 10 % API, 10 % System, 5 % Domain, 10 % Group, 5 % User, with owner / system / API /
// membership relations in both directions), applies them with `applyLocationResult`, then times reads.
//
// Run: npx tsc -p tsconfig.build.json (or any build that emits bench/store-bench.ts), then
//   node dist/bench/store-bench.js [--entities 100000] [--engine pglite|postgres|both]
//     [--database-url postgres://postgres@127.0.0.1:5432/test] [--iterations 400] [--trace] [--keep]
// Prints wall time and CPU time (this process + the PostgreSQL backend, read from /proc: the server must run on
// this machine) of the ingest, then p50/p99 of single-client reads. PGlite runs on disk in a temp folder.
// --trace sums time per statement kind; --keep leaves the PostgreSQL schema (bench_<hex>) for inspection.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate, openPglite, openPostgres } from '../src/core/db/index.js';
import type { Database } from '../src/core/db/index.js';
import { catalogMigrations, createCatalogStore } from '../src/catalog/storage/index.js';
import type { ProcessedEntity, RelationRow } from '../src/catalog/storage/index.js';
import { parseFilterParams } from '../src/catalog/query/index.js';
import type { RelationType } from '../src/catalog/model/entity.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i]?.replace(/^--/, '') ?? '';
  const next = process.argv[i + 1];
  if (next !== undefined && !next.startsWith('--')) {
    args.set(key, next);
    i++;
  } else args.set(key, '');
}
const N = Number(args.get('entities') ?? 100_000);
const ENGINE = args.get('engine') ?? 'both';
const URL = args.get('database-url') ?? process.env.TARMAC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ITER = Number(args.get('iterations') ?? 400);
const TRACE = args.has('trace');

/** With --trace: wraps a database so that time spent per statement kind (first words of the SQL) is summed. */
function traced(db: Database): { db: Database; report: () => void } {
  const spent = new Map<string, { ms: number; n: number }>();
  const wrap = <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    const key = sql.replace(/\s+/g, ' ').trim().slice(0, 60);
    const t0 = performance.now();
    return run().finally(() => {
      const s = spent.get(key) ?? { ms: 0, n: 0 };
      s.ms += performance.now() - t0;
      s.n += 1;
      spent.set(key, s);
    });
  };
  const wrapped: Database = {
    engine: db.engine,
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    query: (sql, params) => wrap(sql, () => db.query(sql, params)),
    transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => wrap(sql, () => tx.query(sql, params)) })),
  } as Database;
  const report = (): void => {
    for (const [k, v] of [...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
      console.log(`    ${(v.ms / 1000).toFixed(2).padStart(7)} s  ${String(v.n).padStart(5)}×  ${k}`);
    }
    spent.clear();
  };
  return { db: wrapped, report };
}

let seed = 42;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const TAGS = ['java', 'go', 'typescript', 'python', 'kafka', 'grpc', 'payments', 'search', 'web', 'ml', 'pci', 'batch'];
const TYPES = ['service', 'service', 'service', 'website', 'library'];
const LIFECYCLES = ['production', 'production', 'production', 'experimental', 'deprecated'];

function both(out: RelationRow[], source: string, type: RelationType, target: string, inverse: RelationType): void {
  out.push({ sourceRef: source, type, targetRef: target }, { sourceRef: target, type: inverse, targetRef: source });
}

/** N synthetic entities in the kind mix, with relations. */
function generate(n: number): ProcessedEntity[] {
  const count = (share: number): number => Math.max(1, Math.floor(n * share));
  const groups = count(0.1), users = count(0.05), domains = count(0.05), systems = count(0.1), apis = count(0.1);
  const components = n - groups - users - domains - systems - apis;
  const out: ProcessedEntity[] = [];
  const make = (kind: string, name: string, spec: Record<string, unknown>, relations: RelationRow[], extra: Record<string, unknown> = {}): void => {
    const ref = `${kind}:default/${name}`.toLowerCase();
    const file = `file:/bench/catalog-${Math.floor(out.length / 1000)}.yaml`;
    out.push({
      ref,
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind,
        metadata: {
          name,
          namespace: 'default',
          description: `${kind} ${name} of the synthetic benchmark catalog`,
          annotations: { 'backstage.io/managed-by-location': file, 'backstage.io/managed-by-origin-location': 'file:/bench/catalog.yaml' },
          ...extra,
        },
        spec,
      },
      relations,
      source: { file, line: (out.length % 1000) * 20 + 1, text: `kind: ${kind}\nmetadata:\n  name: ${name}\n` },
      errors: [],
    });
  };
  const g = (i: number): string => `group:default/team-${i % groups}`;
  for (let i = 0; i < groups; i++) {
    const r: RelationRow[] = [];
    if (i > 0) both(r, g(i), 'childOf', g(Math.floor((i - 1) / 4)), 'parentOf');
    make('Group', `team-${i}`, { type: 'team', children: [], ...(i > 0 ? { parent: `team-${Math.floor((i - 1) / 4)}` } : {}) }, r);
  }
  for (let i = 0; i < users; i++) {
    const r: RelationRow[] = [];
    const team = Math.floor(rand() * groups);
    both(r, `user:default/user-${i}`, 'memberOf', g(team), 'hasMember');
    make('User', `user-${i}`, { memberOf: [`team-${team}`] }, r);
  }
  for (let i = 0; i < domains; i++) {
    const r: RelationRow[] = [];
    const team = Math.floor(rand() * groups);
    both(r, `domain:default/domain-${i}`, 'ownedBy', g(team), 'ownerOf');
    make('Domain', `domain-${i}`, { owner: `team-${team}` }, r);
  }
  for (let i = 0; i < systems; i++) {
    const r: RelationRow[] = [];
    const team = Math.floor(rand() * groups), domain = Math.floor(rand() * domains);
    both(r, `system:default/system-${i}`, 'ownedBy', g(team), 'ownerOf');
    both(r, `system:default/system-${i}`, 'partOf', `domain:default/domain-${domain}`, 'hasPart');
    make('System', `system-${i}`, { owner: `team-${team}`, domain: `domain-${domain}` }, r);
  }
  for (let i = 0; i < apis; i++) {
    const r: RelationRow[] = [];
    const team = Math.floor(rand() * groups), system = Math.floor(rand() * systems);
    both(r, `api:default/api-${i}`, 'ownedBy', g(team), 'ownerOf');
    both(r, `api:default/api-${i}`, 'partOf', `system:default/system-${system}`, 'hasPart');
    make('API', `api-${i}`, { type: 'openapi', lifecycle: pick(LIFECYCLES), owner: `team-${team}`, system: `system-${system}`, definition: 'openapi: 3.0.0' }, r);
  }
  for (let i = 0; i < components; i++) {
    const r: RelationRow[] = [];
    const ref = `component:default/component-${i}`;
    const team = Math.floor(rand() * groups), system = Math.floor(rand() * systems);
    const provides = Math.floor(rand() * apis), consumes = Math.floor(rand() * apis);
    both(r, ref, 'ownedBy', g(team), 'ownerOf');
    both(r, ref, 'partOf', `system:default/system-${system}`, 'hasPart');
    both(r, ref, 'providesApi', `api:default/api-${provides}`, 'apiProvidedBy');
    both(r, ref, 'consumesApi', `api:default/api-${consumes}`, 'apiConsumedBy');
    make('Component', `component-${i}`, {
      type: pick(TYPES), lifecycle: pick(LIFECYCLES), owner: `team-${team}`, system: `system-${system}`,
      providesApis: [`api-${provides}`], consumesApis: [`api-${consumes}`],
    }, r, { title: `Component ${i}`, tags: [pick(TAGS), pick(TAGS)].filter((t, j, a) => a.indexOf(t) === j) });
  }
  return out;
}

/** CPU seconds used so far by this process and by the PostgreSQL backend `pgPid` (0 for PGlite: in-process). */
function cpuSeconds(pgPid: number): { node: number; pg: number } {
  const u = process.cpuUsage();
  let pg = 0;
  if (pgPid) {
    const fields = readFileSync(`/proc/${pgPid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    pg = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100 Hz)
  }
  return { node: (u.user + u.system) / 1e6, pg };
}

function stats(ms: number[]): { p50: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: +at(0.5).toFixed(2), p99: +at(0.99).toFixed(2) };
}

async function timeIt(label: string, iterations: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(20, iterations); i++) await fn(i); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  const { p50, p99 } = stats(ms);
  console.log(`  ${label.padEnd(58)} p50 ${String(p50).padStart(7)} ms   p99 ${String(p99).padStart(7)} ms`);
}

async function run(engine: 'pglite' | 'postgres'): Promise<void> {
  let db: Database;
  let cleanup = async (): Promise<void> => undefined;
  if (engine === 'pglite') {
    // On disk, as Tarmac runs it (`<dataDir>/pgdata`), not in memory.
    const dir = mkdtempSync(path.join(tmpdir(), 'store-bench-'));
    db = await openPglite(path.join(dir, 'pgdata'));
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const admin = await openPostgres({ connectionString: URL, max: 1 });
    await admin.exec(`CREATE SCHEMA ${schema}`);
    // One connection, so that the backend's CPU time can be read from /proc (server on this machine).
    db = await openPostgres({ connectionString: URL, schema, max: 1 });
    cleanup = async () => {
      if (args.has('keep')) console.log(`  kept schema ${schema}`);
      else await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    };
  }
  await migrate(db, catalogMigrations);
  const trace = traced(db);
  const store = createCatalogStore(TRACE ? trace.db : db);
  console.log(`\n== ${engine}: ${N} entities`);
  seed = 42;
  const entities = generate(N);
  const relations = entities.reduce((n, e) => n + e.relations.length, 0);
  const { location } = await store.insertLocation({ type: 'file', target: '/bench/catalog.yaml', origin: 'api' });
  await store.claimLocation(location.id, 'bench', 600_000);
  const result = { entities, errors: [], failedFiles: [], invalidRefs: [] };
  const rssBefore = process.memoryUsage().rss;
  const pgPid = engine === 'postgres' ? ((await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid ?? 0) : 0;
  const cpu0 = cpuSeconds(pgPid);
  let t0 = performance.now();
  const first = await store.applyLocationResult(location.id, 'bench', result);
  const ingestS = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(pgPid);
  console.log(`  ingest ${N} entities + ${relations} relation rows: ${ingestS.toFixed(2)} s wall, CPU node ${(cpu1.node - cpu0.node).toFixed(2)} s + server ${(cpu1.pg - cpu0.pg).toFixed(2)} s  ${JSON.stringify(first)}`);
  if (TRACE) trace.report();
  console.log(`  RSS before apply (input generated): ${(rssBefore / 2 ** 20).toFixed(0)} MB, peak so far: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  t0 = performance.now();
  const again = await store.applyLocationResult(location.id, 'bench', result);
  console.log(`  re-apply unchanged: ${((performance.now() - t0) / 1000).toFixed(2)} s  ${JSON.stringify(again)}`);
  if (TRACE) trace.report();

  const kindFilter = parseFilterParams('kind=component');
  const typeFilter = parseFilterParams('spec.type=service');
  const ownerFilter = parseFilterParams('relations.ownedby=group:default/team-7');
  const pages = async (filter: typeof kindFilter, totalItems: boolean, order?: Array<{ field: string; order: 'asc' | 'desc' }>): Promise<(i: number) => Promise<unknown>> => {
    // Walk 20 pages ahead to collect cursors, then time random pages (first page and cursor pages).
    const cursors: Array<string | undefined> = [undefined];
    let page = await store.queryEntities({ filter, limit: 100, order, totalItems });
    while (page.pageInfo.nextCursor && cursors.length < 20) {
      cursors.push(page.pageInfo.nextCursor);
      page = await store.queryEntities({ cursor: page.pageInfo.nextCursor, limit: 100, totalItems });
    }
    return (i) => store.queryEntities({ filter, order, cursor: cursors[i % cursors.length], limit: 100, totalItems });
  };
  await timeIt('by-query kind=component, 100/page, cursor, totalItems', ITER, await pages(kindFilter, true));
  await timeIt('by-query kind=component, 100/page, cursor, no totalItems', ITER, await pages(kindFilter, false));
  await timeIt('by-query spec.type=service, 100/page, cursor, totalItems', ITER, await pages(typeFilter, true));
  await timeIt('by-query relations.ownedby=<group>, 100/page', ITER, await pages(ownerFilter, true));
  await timeIt('by-query kind=component order metadata.name, 100/page', ITER, await pages(kindFilter, true, [{ field: 'metadata.name', order: 'asc' }]));
  const refs = entities.map((e) => e.ref);
  await timeIt('getEntityByRef (random ref)', ITER * 5, (i) => store.getEntityByRef(refs[(i * 7919) % refs.length] ?? ''));
  await timeIt('getEntitiesByRefs (100 refs)', ITER, (i) => store.getEntitiesByRefs(refs.slice((i * 100) % (refs.length - 100), ((i * 100) % (refs.length - 100)) + 100)));
  await timeIt('search "component 123"', 50, () => store.search({ term: 'component 123', limit: 20, offset: 0 }));
  await timeIt('by-query kind=component order spec.lifecycle (jsonpath sort)', 10, await pages(kindFilter, true, [{ field: 'spec.lifecycle', order: 'asc' }]));
  await timeIt('by-query fullText "component-99" (substring)', 10, () => store.queryEntities({ fullText: { term: 'component-99' }, limit: 100 }));
  t0 = performance.now();
  await store.getFacets(['kind', 'spec.type', 'spec.lifecycle', 'metadata.tags', 'relations.ownedBy']);
  console.log(`  facets (5, uncached): ${(performance.now() - t0).toFixed(0)} ms`);
  t0 = performance.now();
  await store.summary();
  console.log(`  summary (uncached): ${(performance.now() - t0).toFixed(0)} ms`);
  console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await db.close();
  await cleanup();
}

if (ENGINE === 'pglite' || ENGINE === 'both') await run('pglite');
if (ENGINE === 'postgres' || ENGINE === 'both') await run('postgres');
