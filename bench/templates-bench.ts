// `npm run bench:templates [-- --runs 30 --repos 100]`: the golden-path benchmark of issue 3 ("Speed").
// Starts Tarmac in-process on PGlite (and on PostgreSQL when TARMAC_BENCH_DATABASE_URL is set) with Tarmac's
// TypeScript service template and the local git publisher, then prints:
// 1. p50 / p95 seconds from `POST /api/scaffolder/v2/tasks` to the repository published and its entity registered
//    (target p50 ≤ 1 s), over --runs sequential runs;
// 2. the time to upgrade --repos repositories scaffolded from v1 to v2 with `POST /v2/upgrades { all: true }` (the
//    route behind `tarmac template upgrade --all`; target ≤ 60 s), and its summary.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pLimit from 'p-limit';
import { simpleGit } from 'simple-git';
import { PROJECT_ROOT, startTarmac, type RunningTarmac } from '../src/app.js';
import { defaultConfig, type TarmacConfig } from '../src/core/config.js';
import { silentLogger } from '../src/core/logger.js';
import { dropDatabase, recreateDatabase } from './lib/postgres.js';
import { quantile } from './lib/load.js';

const TEMPLATE_REF = 'template:default/typescript-service';
const TEMPLATE_SOURCE = path.join(PROJECT_ROOT, 'examples', 'templates', 'typescript-service');
const BENCH_DATABASE = 'tarmac_templates_bench';

interface Options {
  runs: number;
  repos: number;
  concurrency: number;
  databaseUrl?: string;
}

interface EngineResult {
  engine: string;
  runSeconds: number[];
  scaffoldAllSeconds: number;
  upgradeSeconds: number;
  summary: { upgraded: number; conflicts: number; current: number; failed: number };
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Nearest-rank percentile (`quantile` of the catalog bench) of unsorted values. */
const percentile = (values: number[], p: number): number => quantile([...values].sort((a, b) => a - b), p);

async function json<T>(base: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${pathAndQuery}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Values of the TypeScript service template for repository `name`. */
const valuesFor = (name: string) => ({
  name,
  description: `Benchmark service ${name}`,
  owner: 'group:default/team-bench',
  system: 'system:default/bench',
  lifecycle: 'experimental',
  repoUrl: `localhost?owner=team-bench&repo=${name}`,
});

/**
 * One run through the API: request → task completed (repository pushed, location registered) → entity readable in
 * the catalog. Returns seconds. @throws Error when the run fails
 */
async function scaffold(base: string, name: string): Promise<number> {
  const start = process.hrtime.bigint();
  const created = await json<{ id: string }>(base, '/api/scaffolder/v2/tasks', { templateRef: TEMPLATE_REF, values: valuesFor(name) });
  if (created.status !== 201) throw new Error(`POST /v2/tasks for ${name}: HTTP ${created.status} ${JSON.stringify(created.body)}`);
  for (;;) {
    const task = await json<{ status: string; error?: { message: string } }>(base, `/api/scaffolder/v2/tasks/${created.body.id}`);
    if (task.body.status === 'completed') break;
    if (task.body.status === 'failed' || task.body.status === 'cancelled') throw new Error(`run for ${name} ${task.body.status}: ${task.body.error?.message ?? ''}`);
    await sleep(10);
  }
  while ((await json(base, `/api/catalog/entities/by-name/component/default/${name}`)).status !== 200) await sleep(10);
  return seconds(start);
}

/** The team's change in some repositories: a line at the top of README.md and a section in the runbook. */
async function teamEdit(dataDir: string, name: string): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-bench-edit-'));
  try {
    await simpleGit().clone(path.join(dataDir, 'repos', 'team-bench', `${name}.git`), dir);
    const git = simpleGit(dir);
    await git.addConfig('user.name', 'Team').addConfig('user.email', 'team@bench.invalid');
    writeFileSync(path.join(dir, 'README.md'), `> Owned by the bench team.\n\n${readFileSync(path.join(dir, 'README.md'), 'utf8')}`);
    writeFileSync(path.join(dir, 'docs/runbook.md'), `${readFileSync(path.join(dir, 'docs/runbook.md'), 'utf8')}\n## On call\n\nPage #bench.\n`);
    await git.add('.').commit('Team notes').push('origin', 'HEAD');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** v2 of the template, in place: annotation "1" → "2", README gains a section, a new file, a Dockerfile change. */
function makeV2(templateDir: string): void {
  const yaml = path.join(templateDir, 'template.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('tarmac.dev/template-version: "1"', 'tarmac.dev/template-version: "2"'));
  const readme = path.join(templateDir, 'skeleton', 'README.md');
  writeFileSync(readme, `${readFileSync(readme, 'utf8')}\n## Upgrades\n\nThis repository follows the typescript-service golden path; Tarmac proposes its upgrades.\n`);
  writeFileSync(path.join(templateDir, 'skeleton', '.editorconfig'), 'root = true\n\n[*]\nindent_style = space\nindent_size = 2\n');
  const docker = path.join(templateDir, 'skeleton', 'Dockerfile');
  writeFileSync(docker, readFileSync(docker, 'utf8').replace(/^# syntax=docker\/dockerfile:1$/m, '# syntax=docker/dockerfile:1.7'));
}

async function benchEngine(engine: 'pglite' | 'postgres', o: Options): Promise<EngineResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-templates-bench-'));
  const templateDir = path.join(dataDir, 'template-source');
  cpSync(TEMPLATE_SOURCE, templateDir, { recursive: true });
  const base = defaultConfig();
  const config: TarmacConfig = {
    ...base,
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'silent',
    catalog: { ...base.catalog, demo: false, refreshIntervalSeconds: 0, locations: [{ type: 'file', target: path.join(templateDir, 'template.yaml') }] },
  };
  if (engine === 'postgres' && o.databaseUrl) config.databaseUrl = await recreateDatabase(o.databaseUrl, BENCH_DATABASE);
  let tarmac: RunningTarmac | undefined;
  try {
    tarmac = await startTarmac(config, { logger: silentLogger() });
    const url = tarmac.url;
    while ((await fetch(`${url}/readyz`)).status !== 200) await sleep(50);
    log(`[${engine}] Tarmac at ${url}; ${o.runs} timed runs`);

    const runSeconds: number[] = [];
    for (let i = 0; i < o.runs; i++) runSeconds.push(await scaffold(url, `svc-${i}`));
    log(`[${engine}] p50 ${percentile(runSeconds, 0.5).toFixed(3)} s, p95 ${percentile(runSeconds, 0.95).toFixed(3)} s`);

    const more = Math.max(0, o.repos - o.runs);
    log(`[${engine}] scaffolding ${more} more repositories from v1 (${o.concurrency} at once)`);
    const scaffoldStart = process.hrtime.bigint();
    const limit = pLimit(o.concurrency);
    await Promise.all(Array.from({ length: more }, (_, k) => limit(() => scaffold(url, `svc-${o.runs + k}`))));
    const scaffoldAllSeconds = seconds(scaffoldStart);
    for (let i = 0; i < o.repos; i += 10) await teamEdit(dataDir, `svc-${i}`);

    // The platform team releases v2; the catalog re-reads it and the next run records it (the way versions are
    // seen in production). That run's repository is made from v2, so it is already current.
    makeV2(templateDir);
    const { items } = await tarmac.catalog.listLocations({ limit: 10, offset: 0 });
    for (const l of items) await tarmac.catalog.refreshLocation(l.id);
    await scaffold(url, 'svc-v2');
    const versions = await json<{ items: Array<{ number: number; version: string }> }>(url, '/api/scaffolder/v2/templates/default/template/typescript-service/versions');
    log(`[${engine}] versions: ${versions.body.items.map((v) => `v${v.number}=${v.version}`).join(', ')}; upgrading all`);

    const upgradeStart = process.hrtime.bigint();
    const res = await json<{ upgraded: number; conflicts: number; current: number; failed: number; results: Array<{ status: string; error?: string }> }>(
      url,
      '/api/scaffolder/v2/upgrades',
      { templateRef: TEMPLATE_REF, all: true },
    );
    const upgradeSeconds = seconds(upgradeStart);
    if (res.status !== 200) throw new Error(`POST /v2/upgrades: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    const failure = res.body.results.find((r) => r.status === 'failed');
    if (failure) log(`[${engine}] first failure: ${failure.error ?? ''}`);
    const { upgraded, conflicts, current, failed } = res.body;
    return { engine, runSeconds, scaffoldAllSeconds, upgradeSeconds, summary: { upgraded, conflicts, current, failed } };
  } finally {
    await tarmac?.close();
    if (engine === 'postgres' && o.databaseUrl) await dropDatabase(o.databaseUrl, BENCH_DATABASE).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(results: EngineResult[], o: Options): string {
  const lines = [
    `Golden paths benchmark (issue 3) — ${o.runs} timed runs of ${TEMPLATE_REF} (publish:git + catalog:register), ${o.repos} repositories upgraded v1 → v2`,
    '',
    '| engine | run p50 (s) | run p95 (s) | target p50 | scaffold rest (s) | upgrade --all (s) | target | upgraded / conflicts / current / failed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const s = r.summary;
    lines.push(
      `| ${r.engine} | ${percentile(r.runSeconds, 0.5).toFixed(3)} | ${percentile(r.runSeconds, 0.95).toFixed(3)} | ≤ 1 | ${r.scaffoldAllSeconds.toFixed(1)} | ${r.upgradeSeconds.toFixed(1)} | ≤ 60 | ${s.upgraded} / ${s.conflicts} / ${s.current} / ${s.failed} |`,
    );
  }
  return lines.join('\n');
}

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

async function main(): Promise<void> {
  const program = new Command('templates-bench')
    .option('--runs <n>', 'timed sequential runs', positiveInt, 30)
    .option('--repos <n>', 'repositories scaffolded from v1 and upgraded (includes the timed runs)', positiveInt, 100)
    .option('--concurrency <n>', 'runs submitted at once while scaffolding the rest', positiveInt, 4)
    .option('--database-url <url>', 'PostgreSQL server to bench too (default TARMAC_BENCH_DATABASE_URL)')
    .parse();
  const opts = program.opts<Options>();
  const o: Options = { ...opts, databaseUrl: opts.databaseUrl ?? process.env.TARMAC_BENCH_DATABASE_URL };
  const results = [await benchEngine('pglite', o)];
  if (o.databaseUrl) results.push(await benchEngine('postgres', o));
  console.log(report(results, o));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
