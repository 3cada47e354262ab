// `npm run bench:authz -- [--entities N] [--database-url …]`: the permission check's cost on reads (issue "Trust",
// Checks). Generates N synthetic entities (bench/generate-catalog.ts), runs Tarmac in this process, and times the
// same `by-query` request through HTTP: in single-user mode (no read condition), then signed in with API tokens —
// an admin (no condition) and a viewer under a read rule (the condition ANDed into the query). Prints p50/p99 of
// each and the p99 the read rule adds (target ≤ 2 ms). See docs/permissions.md.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { startTarmac, type RunningTarmac } from '../src/app.js';
import { defaultConfig, type TarmacConfig } from '../src/core/config.js';
import { withOidcDefaults } from '../src/core/config-sections.js';
import { openDatabase } from '../src/core/db/index.js';
import { silentLogger } from '../src/core/logger.js';
import { DEFAULT_BENCH_DATABASE_URL, measureAuditAppend } from './audit-bench.js';
import { generateCatalog } from './generate-catalog.js';
import { byQueryPath, waitForIngestion } from './lib/catalog-api.js';
import { quantile } from './lib/load.js';
import { dropDatabase, recreateDatabase } from './lib/postgres.js';
import { fmt, renderTable, type Row } from './lib/report.js';

interface Options {
  entities: number;
  requests: number;
  warmup: number;
  databaseUrl?: string;
  keep: boolean;
}

/** The read rule the viewer is under: catalog kinds people work with, not Users and Groups (plus what it owns). */
const VIEWER_RULE = { subjects: ['role:viewer'], allow: [{ kind: ['Component', 'API', 'System', 'Domain'] }] };
const TARGET_ADDED_P99_MS = 2;

function intOption(min: number) {
  return (v: string): number => {
    const n = Number(v.replace(/[_,]/g, ''));
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

/** One series of requests: where to, with which headers, and which path for the i-th request. */
interface Series {
  name: string;
  url: string;
  headers: Record<string, string>;
  pathFor: (i: number) => string;
}

/** Figures of one series, ms; `items`/`total` of the last answer (a check that both modes answer the same query). */
interface SeriesResult {
  p50: number;
  p99: number;
  items: number;
  total: number;
}

/**
 * Times `count` rounds of sequential GETs after `warmup` untimed rounds; each round sends one request of every
 * series in turn, so every series sees the same background load (the machine is shared), one request at a time.
 */
async function timeInterleaved(series: Series[], count: number, warmup: number): Promise<Record<string, SeriesResult>> {
  const ms = series.map(() => [] as number[]);
  const last = series.map(() => ({ items: 0, total: 0 }));
  for (let i = 0; i < warmup + count; i++) {
    for (const [k, s] of series.entries()) {
      const t0 = performance.now();
      const res = await fetch(`${s.url}${s.pathFor(i)}`, { headers: s.headers });
      const body = (await res.json()) as { items?: unknown[]; totalItems?: number };
      const elapsed = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${s.name}: GET ${s.pathFor(i)}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      if (i >= warmup) ms[k]?.push(elapsed);
      last[k] = { items: body.items?.length ?? 0, total: body.totalItems ?? 0 };
    }
  }
  return Object.fromEntries(
    series.map((s, k) => {
      const sorted = (ms[k] ?? []).sort((a, b) => a - b);
      return [s.name, { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), ...(last[k] ?? { items: 0, total: 0 }) }];
    }),
  );
}

async function main(): Promise<void> {
  const o = new Command()
    .name('authz-bench')
    .option('--entities <n>', 'entities to generate', intOption(20), 100_000)
    .option('--requests <n>', 'timed requests per series', intOption(10), 2000)
    .option('--warmup <n>', 'untimed requests before each series', intOption(0), 200)
    .option('--database-url <url>', 'PostgreSQL server; the bench (re)creates database tarmac_authz_bench on it (default: PGlite)')
    .option('--keep', 'keep the temp folder', false)
    .parse(process.argv)
    .opts<Options>();

  const dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-authz-bench-'));
  console.log(`generating ${o.entities} entities in ${dir} …`);
  const catalog = generateCatalog(path.join(dir, 'catalog'), o.entities);
  const BENCH_DB = 'tarmac_authz_bench';
  const databaseUrl = o.databaseUrl ? await recreateDatabase(o.databaseUrl, BENCH_DB) : undefined;
  const db = await openDatabase({ databaseUrl, dataDir: path.join(dir, 'data') });
  const width = String(o.entities).length;
  const viewer = `user:default/user-${'0'.padStart(width, '0')}`;
  const admin = `user:default/user-${'1'.padStart(width, '0')}`;
  const base = defaultConfig();
  const config = (signIn: boolean): TarmacConfig => ({
    ...base,
    port: 0,
    dataDir: path.join(dir, 'data'),
    logLevel: 'silent',
    ...(databaseUrl ? { databaseUrl } : {}),
    catalog: { ...base.catalog, demo: false, refreshIntervalSeconds: 0, locations: [{ type: 'file', target: catalog.rootFile }] },
    auth: signIn
      ? {
          ...base.auth,
          oidc: withOidcDefaults({ issuer: 'http://127.0.0.1:9/bench-issuer', clientId: 'bench', allowInsecureIssuer: true }),
          roles: [
            { role: 'viewer', members: [viewer] },
            { role: 'admin', members: [admin] },
          ],
          readRules: [VIEWER_RULE],
          rateLimits: { signInPerMinute: 20, writesPerMinute: 1_000_000 },
        }
      : base.auth,
  });

  // The same query as `bench:catalog`'s by-query scenario; `b=<i>` makes every URL new so the response cache never
  // answers (the storage layer's per-generation count cache still does, in every mode alike).
  const query = byQueryPath('kind=component', 100);
  const busted = (i: number) => `${query}&b=${i}`;
  const rows: Row[] = [];
  let results: Record<string, SeriesResult> = {};
  let single: RunningTarmac | undefined;
  let signedIn: RunningTarmac | undefined;
  try {
    const t0 = performance.now();
    single = await startTarmac(config(false), { logger: silentLogger(), db });
    await waitForIngestion({
      baseUrl: single.url,
      expectedByKind: catalog.countsByKind,
      probes: catalog.probes,
      pollMs: 500,
      timeoutMs: 1_800_000,
    });
    console.log(`ingested in ${fmt((performance.now() - t0) / 1000)} s (${db.engine})`);
    // A second Tarmac on the same database, with sign-in, roles and the read rule; it re-reads the (unchanged)
    // location at start and is ready once done.
    signedIn = await startTarmac(config(true), { logger: silentLogger(), db });
    while ((await fetch(`${signedIn.url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 200));
    const tokenOf = async (userRef: string) =>
      (await signedIn?.auth.createToken({ userRef, name: 'bench', scopes: ['*'], createdBy: userRef }))?.token ?? '';
    const adminAuth = { authorization: `Bearer ${await tokenOf(admin)}` };
    const viewerAuth = { authorization: `Bearer ${await tokenOf(viewer)}` };
    console.log(`timing ${o.requests} rounds (after ${o.warmup} warm-up rounds) …`);
    results = await timeInterleaved(
      [
        { name: 'single-user, no condition', url: single.url, headers: {}, pathFor: busted },
        { name: 'admin token, no condition', url: signedIn.url, headers: adminAuth, pathFor: busted },
        { name: 'viewer token, read rule', url: signedIn.url, headers: viewerAuth, pathFor: busted },
        { name: 'viewer token, read rule, cached', url: signedIn.url, headers: viewerAuth, pathFor: () => query },
      ],
      o.requests,
      o.warmup,
    );
  } finally {
    await signedIn?.close();
    await single?.close();
    await db.close();
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
    if (o.databaseUrl && !o.keep) await dropDatabase(o.databaseUrl, BENCH_DB);
  }

  for (const [name, r] of Object.entries(results)) {
    rows.push({ figure: `${name} (${r.items} items of ${r.total}): p50 / p99`, measured: `${fmt(r.p50, 2)} / ${fmt(r.p99, 2)} ms` });
  }
  const singleR = results['single-user, no condition'];
  const adminR = results['admin token, no condition'];
  const viewerR = results['viewer token, read rule'];
  if (singleR && viewerR && adminR) {
    const added = viewerR.p99 - singleR.p99;
    rows.push({
      figure: 'added p99: read rule vs single-user',
      measured: `${fmt(added, 2)} ms`,
      target: `≤ ${TARGET_ADDED_P99_MS} ms`,
      ok: added <= TARGET_ADDED_P99_MS,
    });
    rows.push({ figure: 'added p99: read rule vs admin token (same token auth)', measured: `${fmt(viewerR.p99 - adminR.p99, 2)} ms` });
  }
  console.log(`\nby-query kind=component, 100 items, ${o.entities} entities, ${o.requests} sequential requests per series\n`);
  console.log(renderTable(rows));

  // The audit half of the figure: append throughput on PostgreSQL (bench/audit-bench.ts has more options).
  const auditUrl = o.databaseUrl ?? process.env.TARMAC_BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL;
  const appends: number[] = [];
  for (let r = 0; r < 3; r++) {
    appends.push((await measureAuditAppend({ engine: 'postgres', events: 50_000, callers: 200, databaseUrl: auditUrl })).appendPerSecond);
  }
  appends.sort((a, b) => a - b);
  const auditMedian = appends[1] ?? 0;
  console.log(
    `\n${renderTable([
      {
        figure: 'audit append on PostgreSQL, 50,000 events from 200 callers: median of 3 (events/s)',
        measured: fmt(auditMedian, 0),
        target: '≥ 5,000',
        ok: auditMedian >= 5000,
      },
    ])}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
