// `npm run bench:catalog -- --entities N [--database-url …] [--keep]`: the catalog benchmark of issue 2 ("Speed").
// Generates N synthetic entities, starts Tarmac as a child process on them, and measures ingestion time, peak RSS,
// by-query / by-name latency under concurrent clients, and the portal's initial JS size. See docs/benchmarks.md.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { generateCatalog, MIN_ENTITIES, type GeneratedCatalog } from './generate-catalog.js';
import { byQueryPath, collectCursorPaths, getJson, waitForIngestion, type CatalogSummary } from './lib/catalog-api.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { measurePortalJs, type PortalJsSize } from './lib/portal-size.js';
import { dropDatabase, recreateDatabase } from './lib/postgres.js';
import { readProcStatusBytes, RssSampler } from './lib/proc-memory.js';
import { BACKSTAGE_REFERENCE, fmt, median, renderTable, TARGETS, type Row } from './lib/report.js';
import { freePort, spawnTarmac, stopTarmac, waitForHealthy, type TarmacProcess } from './lib/tarmac-process.js';

/** Command-line options (see `--help`). */
interface Options {
  entities: number;
  databaseUrl?: string;
  benchDatabase: string;
  keep: boolean;
  runs: number;
  duration: number;
  warmup: number;
  connections: number;
  seed: number;
  pollMs: number;
  ingestTimeout: number;
  refreshInterval: number;
  out: string;
}

/** The load scenarios, by key. */
const SCENARIOS = {
  byQuery: 'by-query kind=component, 100 items',
  byQueryCursor: 'by-query cursor page, 100 items',
  byName: 'by-name component',
  byQuery1: 'by-query kind=component, 100 items, 1 client',
} as const;
type ScenarioKey = keyof typeof SCENARIOS;

/** Figures of one run (fresh data folder or database, fresh process). Seconds, bytes, ms. */
interface RunResult {
  run: number;
  spawnToListeningS: number;
  listeningToQueryableS: number;
  spawnToQueryableS: number;
  /** N ÷ listeningToQueryableS. */
  entitiesPerSecond: number;
  /** Largest VmRSS sampled (every 100 ms) between spawn and all-queryable. */
  ingestPeakRssBytes: number;
  /** VmHWM of the child just before it is stopped: the peak over ingestion and every load scenario. */
  peakRssBytes: number;
  summary: CatalogSummary;
  load: Record<ScenarioKey, LoadResult>;
  stoppedBy: 'exited' | 'killed';
  logFile: string;
  /** `durationMs` of the first "location refreshed" line in Tarmac's log: the import as Tarmac itself timed it. */
  serverReportedIngestMs?: number;
  /** `os.loadavg()` (1, 5, 15 min) when the run started and when it ended: other work on the machine skews figures. */
  loadAverage: { start: number[]; end: number[] };
}

const MB = 1e6;
const KB = 1e3;

function findProjectRoot(): string {
  for (let d = path.dirname(fileURLToPath(import.meta.url)); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) throw new Error('package.json not found above the benchmark');
  }
}

function intOption(min: number) {
  return (v: string): number => {
    const n = Number(v.replace(/[_,]/g, ''));
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

function parseOptions(argv: string[]): Options {
  const program = new Command()
    .name('catalog-bench')
    .description('Catalog benchmark: ingest N synthetic entities into a Tarmac child process, then measure queries.')
    .option('--entities <n>', `entities to generate (≥ ${MIN_ENTITIES}; 10_000 and 100,000 are accepted)`, intOption(MIN_ENTITIES), 10_000)
    .option('--database-url <url>', 'PostgreSQL server; the bench (re)creates database --bench-database on it (default: PGlite)')
    .option('--bench-database <name>', 'database created (dropped first) on --database-url', 'tarmac_bench')
    .option('--keep', 'keep the temp folder (catalog, data, logs) and the bench database', false)
    .option('--runs <n>', 'full runs (fresh process and database each); the table shows medians', intOption(1), 1)
    .option('--duration <s>', 'measured seconds per load scenario', intOption(1), 10)
    .option('--warmup <s>', 'warm-up seconds before each load scenario (not measured)', intOption(0), 2)
    .option('--connections <n>', 'concurrent clients for the load scenarios', intOption(1), 10)
    .option('--seed <n>', 'seed of the synthetic catalog', intOption(0), 42)
    .option('--poll-ms <ms>', 'period of the "all queryable yet?" check during ingestion', intOption(10), 250)
    .option('--ingest-timeout <s>', 'give up when ingestion takes longer', intOption(1), 1800)
    .option('--refresh-interval <s>', 'passed to tarmac start --refresh-interval', intOption(0), 0)
    .option('--out <dir>', 'folder for the JSON result (relative to the project root)', 'bench-results')
    .parse(argv);
  return program.opts<Options>();
}

function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** `durationMs` of the first JSON log line with msg "location refreshed" in Tarmac's log; undefined when none. */
function firstRefreshMs(logFile: string): number | undefined {
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"location refreshed"')) continue;
    try {
      const ms = (JSON.parse(line) as { durationMs?: unknown }).durationMs;
      if (typeof ms === 'number') return ms;
    } catch {
      // not a JSON line
    }
  }
  return undefined;
}

let current: TarmacProcess | undefined;

async function oneRun(run: number, opts: Options, projectRoot: string, tmp: string, catalog: GeneratedCatalog): Promise<RunResult> {
  const loadAtStart = os.loadavg();
  if ((loadAtStart[0] ?? 0) > os.cpus().length * 0.5) {
    console.log(pc.yellow(`  run ${run}: the machine is busy (load average ${loadAtStart.map((l) => fmt(l, 2)).join(' ')}); figures will be noisy`));
  }
  const runDir = path.join(tmp, `run-${run}`);
  const dataDir = path.join(runDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(runDir, 'tarmac.log');
  let databaseUrl: string | undefined;
  if (opts.databaseUrl) databaseUrl = await recreateDatabase(opts.databaseUrl, opts.benchDatabase);
  const port = await freePort();
  const proc = spawnTarmac({
    projectRoot,
    port,
    dataDir,
    location: catalog.rootFile,
    databaseUrl,
    refreshIntervalSeconds: opts.refreshInterval,
    logFile,
  });
  current = proc;
  const sampler = new RssSampler(proc.pid).start();
  try {
    const listeningAt = await waitForHealthy(proc, 120_000);
    console.log(`  run ${run}: listening after ${fmt((listeningAt - proc.spawnedAt) / 1000, 2)} s (pid ${proc.pid}, log ${logFile})`);
    let lastPrint = performance.now();
    const { doneAt, summary } = await waitForIngestion({
      baseUrl: proc.url,
      expectedByKind: catalog.countsByKind,
      probes: catalog.probes,
      pollMs: opts.pollMs,
      timeoutMs: opts.ingestTimeout * 1000,
      aborted: () => proc.hasExited(),
      onProgress: (p) => {
        if (performance.now() - lastPrint < 5000) return;
        lastPrint = performance.now();
        console.log(`  run ${run}: ${fmt(p.stored, 0)} / ${fmt(catalog.total, 0)} stored after ${fmt((lastPrint - listeningAt) / 1000, 0)} s, RSS ${fmt((sampler.sample() ?? 0) / MB, 0)} MB`);
      },
    });
    const ingestPeakRssBytes = sampler.maxBytes;
    const listeningToQueryableS = (doneAt - listeningAt) / 1000;
    console.log(`  run ${run}: all ${fmt(catalog.total, 0)} queryable with relations ${fmt(listeningToQueryableS, 2)} s after listening`);
    if (summary.errorCount > 0) console.log(pc.yellow(`  run ${run}: the catalog reports ${summary.errorCount} errors (see GET /api/catalog/errors)`));

    // Request lists: a filtered first page, cursor pages further in, and component names spread over the catalog.
    const firstPage = byQueryPath('kind=component', 100);
    const cursorPaths = await collectCursorPaths(proc.url, firstPage, 100, 30);
    const names = catalog.componentNames;
    const step = Math.max(1, Math.floor(names.length / 2000));
    const namePaths = names.filter((_, i) => i % step === 0).map((n) => `/api/catalog/entities/by-name/component/default/${n}`);
    const sample = await getJson<{ metadata: { name: string } }>(`${proc.url}${namePaths[namePaths.length - 1] ?? ''}`);
    if (!names.includes(sample.metadata.name)) throw new Error(`by-name returned ${sample.metadata.name}`);

    const scenarioPaths: Record<ScenarioKey, string[]> = { byQuery: [firstPage], byQueryCursor: cursorPaths, byName: namePaths, byQuery1: [firstPage] };
    const load = {} as Record<ScenarioKey, LoadResult>;
    for (const key of Object.keys(SCENARIOS) as ScenarioKey[]) {
      const connections = key === 'byQuery1' ? 1 : opts.connections;
      const r = await runLoad(proc.url, {
        name: SCENARIOS[key],
        paths: scenarioPaths[key],
        connections,
        durationSeconds: opts.duration,
        warmupSeconds: opts.warmup,
      });
      load[key] = r;
      const warn = r.failed ? pc.red(`, ${r.failed} failed`) : '';
      console.log(`  run ${run}: ${r.name} (${connections} client${connections > 1 ? 's' : ''}, ${scenarioPaths[key].length} URLs): p50 ${fmt(r.p50Ms, 2)} ms, p99 ${fmt(r.p99Ms, 2)} ms, ${fmt(r.requestsPerSecond, 0)} req/s${warn}`);
    }
    const peakRssBytes = readProcStatusBytes(proc.pid, 'VmHWM') ?? sampler.maxBytes;
    sampler.stop();
    const stoppedBy = await stopTarmac(proc);
    current = undefined;
    const serverReportedIngestMs = firstRefreshMs(logFile); // read after exit: the log stream is complete
    return {
      run,
      spawnToListeningS: (listeningAt - proc.spawnedAt) / 1000,
      listeningToQueryableS,
      spawnToQueryableS: (doneAt - proc.spawnedAt) / 1000,
      entitiesPerSecond: catalog.total / listeningToQueryableS,
      ingestPeakRssBytes,
      peakRssBytes,
      summary,
      load,
      stoppedBy,
      logFile,
      serverReportedIngestMs,
      loadAverage: { start: loadAtStart, end: os.loadavg() },
    };
  } catch (err) {
    sampler.stop();
    await stopTarmac(proc);
    current = undefined;
    console.error(pc.red(`  run ${run} failed: ${err instanceof Error ? err.message : String(err)}`));
    console.error(pc.dim(`  last lines of ${logFile}:\n${logTail(logFile)}`));
    throw err;
  }
}

/** Median of each figure over the runs. */
function medians(runs: RunResult[]) {
  const m = (f: (r: RunResult) => number) => median(runs.map(f));
  const loadMedian = (key: ScenarioKey) => ({
    p50Ms: m((r) => r.load[key].p50Ms),
    p99Ms: m((r) => r.load[key].p99Ms),
    requestsPerSecond: m((r) => r.load[key].requestsPerSecond),
    failed: m((r) => r.load[key].failed),
  });
  return {
    spawnToListeningS: m((r) => r.spawnToListeningS),
    listeningToQueryableS: m((r) => r.listeningToQueryableS),
    spawnToQueryableS: m((r) => r.spawnToQueryableS),
    serverReportedIngestS: m((r) => (r.serverReportedIngestMs ?? Number.NaN) / 1000),
    entitiesPerSecond: m((r) => r.entitiesPerSecond),
    ingestPeakRssMb: m((r) => r.ingestPeakRssBytes / MB),
    peakRssMb: m((r) => r.peakRssBytes / MB),
    load: Object.fromEntries((Object.keys(SCENARIOS) as ScenarioKey[]).map((k) => [k, loadMedian(k)])) as Record<ScenarioKey, ReturnType<typeof loadMedian>>,
  };
}

function tableRows(engine: 'pglite' | 'postgres', opts: Options, med: ReturnType<typeof medians>, portal: PortalJsSize | undefined): Row[] {
  const ingestTarget = TARGETS.ingestSeconds[engine];
  const lat = (key: ScenarioKey, target: number | undefined, backstage?: string): Row[] => {
    const l = med.load[key];
    const clients = key === 'byQuery1' ? 1 : opts.connections;
    return [
      {
        figure: `${SCENARIOS[key].replace(', 1 client', '')}, ${clients} client${clients > 1 ? 's' : ''}: p50 / p99`,
        measured: `${fmt(l.p50Ms, 2)} / ${fmt(l.p99Ms, 2)} ms`,
        target: target === undefined ? undefined : `p99 ≤ ${target} ms`,
        backstage,
        ok: target === undefined ? undefined : l.p99Ms <= target && l.failed === 0,
      },
      { figure: '    throughput', measured: `${fmt(l.requestsPerSecond, 0)} req/s` },
    ];
  };
  return [
    {
      figure: 'ingest: listening → all queryable',
      measured: `${fmt(med.listeningToQueryableS, 2)} s`,
      target: `≤ ${ingestTarget} s (${engine === 'pglite' ? 'PGlite' : 'PostgreSQL'})`,
      backstage: BACKSTAGE_REFERENCE.ingest,
      ok: med.listeningToQueryableS <= ingestTarget,
    },
    { figure: 'ingest: process spawn → all queryable', measured: `${fmt(med.spawnToQueryableS, 2)} s` },
    {
      figure: "ingest: as Tarmac's log times it",
      measured: Number.isFinite(med.serverReportedIngestS) ? `${fmt(med.serverReportedIngestS, 2)} s` : 'not logged',
    },
    { figure: 'ingest rate', measured: `${fmt(med.entitiesPerSecond, 0)} entities/s`, backstage: BACKSTAGE_REFERENCE.ingestRate },
    ...lat('byQuery', TARGETS.byQueryP99Ms, BACKSTAGE_REFERENCE.byQuery10),
    ...lat('byQueryCursor', TARGETS.byQueryP99Ms),
    ...lat('byName', TARGETS.byNameP99Ms),
    ...lat('byQuery1', undefined, BACKSTAGE_REFERENCE.byQuery1),
    { figure: 'peak RSS of Tarmac (VmHWM, whole run)', measured: `${fmt(med.peakRssMb, 0)} MB`, target: `≤ ${TARGETS.rssMb} MB`, ok: med.peakRssMb <= TARGETS.rssMb },
    { figure: 'peak RSS during ingestion (sampled)', measured: `${fmt(med.ingestPeakRssMb, 0)} MB` },
    {
      figure: `portal initial JS, gzipped (${portal?.files.length ?? 0} files)`,
      measured: portal ? `${fmt(portal.gzipBytes / KB, 1)} kB` : 'not built',
      target: `≤ ${TARGETS.portalJsKb} kB`,
      ok: portal ? portal.gzipBytes / KB <= TARGETS.portalJsKb : undefined,
    },
  ];
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv);
  const projectRoot = findProjectRoot();
  if (!existsSync(path.join(projectRoot, 'dist', 'src', 'cli', 'main.js'))) {
    console.error('Tarmac is not built: run `npm run build` first (npm run bench:catalog does).');
    return 1;
  }
  const engine = opts.databaseUrl ? 'postgres' : 'pglite';
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tarmac-bench-'));
  const stopOnSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping Tarmac${opts.keep ? '' : ' and removing ' + tmp}`);
    void (current ? stopTarmac(current, 3000) : Promise.resolve()).finally(() => {
      if (!opts.keep) rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  console.log(pc.bold(`Tarmac catalog benchmark: ${fmt(opts.entities, 0)} entities on ${engine === 'pglite' ? 'PGlite' : 'PostgreSQL'}, ${opts.runs} run(s)`));
  console.log(`  machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`);
  const genStart = performance.now();
  const catalog = generateCatalog(path.join(tmp, 'catalog'), opts.entities, opts.seed);
  console.log(
    `  generated ${fmt(catalog.total, 0)} entities (${Object.entries(catalog.countsByKind).map(([k, v]) => `${fmt(v, 0)} ${k}`).join(', ')}) ` +
      `in ${catalog.files.length} files, ${fmt(catalog.bytes / MB, 1)} MB, ${fmt((performance.now() - genStart) / 1000, 1)} s`,
  );
  const portal = measurePortalJs(path.join(projectRoot, 'dist', 'web'));

  const runs: RunResult[] = [];
  try {
    for (let run = 1; run <= opts.runs; run++) runs.push(await oneRun(run, opts, projectRoot, tmp, catalog));
  } finally {
    if (!opts.keep) {
      rmSync(tmp, { recursive: true, force: true });
      if (opts.databaseUrl) await dropDatabase(opts.databaseUrl, opts.benchDatabase).catch(() => undefined);
    }
  }

  const med = medians(runs);
  console.log('');
  console.log(pc.bold(`Results: N = ${fmt(opts.entities, 0)}, ${engine === 'pglite' ? 'PGlite' : 'PostgreSQL'}, ${runs.length > 1 ? `median of ${runs.length} runs` : '1 run'}`) +
    pc.dim(`  (targets are for N = ${fmt(TARGETS.atEntities, 0)} on a 2-core machine)`));
  console.log(renderTable(tableRows(engine, opts, med, portal)));

  const outDir = path.resolve(projectRoot, opts.out);
  mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `catalog-${engine}-${opts.entities}.json`);
  const version = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
  writeFileSync(
    outFile,
    `${JSON.stringify(
      {
        benchmark: 'catalog',
        tarmacVersion: version,
        date: new Date().toISOString(),
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, totalMemoryBytes: os.totalmem(), node: process.version, platform: `${os.type()} ${os.release()}` },
        engine,
        entities: opts.entities,
        options: { ...opts, databaseUrl: opts.databaseUrl ? '(given)' : undefined },
        generated: { countsByKind: catalog.countsByKind, files: catalog.files.length, bytes: catalog.bytes, seed: catalog.seed, probes: catalog.probes },
        portalJs: portal ?? null,
        median: med,
        runs: runs.map((r) => ({ ...r, logFile: opts.keep ? r.logFile : undefined })),
        targets: TARGETS,
        backstageReference: BACKSTAGE_REFERENCE,
        units: { seconds: 's', latency: 'ms', rss: 'MB = 10^6 bytes', portalJs: 'bytes (table: kB = 10^3 bytes)' },
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\n  JSON: ${path.relative(process.cwd(), outFile) || outFile}${opts.keep ? `\n  kept: ${tmp}` : ''}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(pc.red(err instanceof Error ? (err.stack ?? err.message) : String(err)));
    process.exitCode = 1;
  },
);
