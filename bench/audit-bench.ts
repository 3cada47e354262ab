// `node dist/bench/audit-bench.js [--events N] [--callers C] [--runs R] [--database-url URL] [--engines pglite,postgres]`:
// audit append throughput (issue 4 "Checks": ≥ 5,000 events/s on PostgreSQL). Each run appends N events from C
// concurrent callers (each awaiting its own record() before the next, as request handlers do) into a fresh log —
// a new schema on PostgreSQL, a new data folder on PGlite — then verifies the whole chain. Prints the median of
// the runs. `measureAuditAppend` is exported for other benchmarks (bench:authz).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { createAuditModule } from '../src/audit/index.js';
import { defaultConfig } from '../src/core/config.js';
import { migrate, openPglite, openPostgres, type Database } from '../src/core/db/index.js';
import { silentLogger } from '../src/core/logger.js';
import { createMetrics } from '../src/core/metrics.js';
import { fmt, median } from './lib/report.js';

/** Default PostgreSQL server of the benchmark (the CI test server). */
export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Figures of one run: events/s of appending (wall clock from first record() to last resolve) and of verifying. */
export interface AuditRun {
  engine: 'pglite' | 'postgres';
  events: number;
  appendSeconds: number;
  appendPerSecond: number;
  verifySeconds: number;
  verifyPerSecond: number;
}

/** Opens a fresh, migrated database and how to remove it afterwards. */
async function freshDatabase(engine: 'pglite' | 'postgres', databaseUrl: string): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-audit-bench-'));
    const db = await openPglite(path.join(dir, 'pgdata'));
    return { db, drop: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const schema = `audit_bench_${randomBytes(4).toString('hex')}`;
  const admin = await openPostgres({ connectionString: databaseUrl, max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const db = await openPostgres({ connectionString: databaseUrl, schema });
  return {
    db,
    drop: async () => {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

/**
 * One run: appends `events` events from `callers` concurrent callers into a fresh log, then verifies it.
 * @throws Error when the chain does not verify afterwards (the figures would be meaningless)
 */
export async function measureAuditAppend(opts: { engine: 'pglite' | 'postgres'; events: number; callers: number; databaseUrl?: string }): Promise<AuditRun> {
  const { db, drop } = await freshDatabase(opts.engine, opts.databaseUrl ?? DEFAULT_BENCH_DATABASE_URL);
  try {
    const audit = createAuditModule({ db, logger: silentLogger(), config: defaultConfig(), metrics: createMetrics() });
    await migrate(db, audit.module.migrations);
    let next = 0;
    const caller = async (c: number) => {
      for (let i = next++; i < opts.events; i = next++) {
        await audit.recorder.record({
          actor: `user:default/user-${c}`,
          action: 'catalog.entity.delete',
          resource: `component:default/service-${i}`,
          outcome: 'success',
          requestId: `req-${i}`,
          ip: '10.0.0.1',
          summary: { entityRef: `component:default/service-${i}`, locationId: 'b3c0d9e2', count: 1 },
        });
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: opts.callers }, (_, c) => caller(c)));
    const appendSeconds = (performance.now() - started) / 1000;
    const verifyStarted = performance.now();
    const result = await audit.service.verify();
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    if (!result.ok || result.checked !== opts.events) throw new Error(`chain does not verify after the run: ${JSON.stringify(result)}`);
    await audit.module.stop?.();
    return {
      engine: opts.engine,
      events: opts.events,
      appendSeconds,
      appendPerSecond: opts.events / appendSeconds,
      verifySeconds,
      verifyPerSecond: opts.events / verifySeconds,
    };
  } finally {
    await drop();
  }
}

const positiveInt = (v: string): number => {
  const n = Number(v.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

async function main(argv: string[]): Promise<void> {
  const opts = new Command('audit-bench')
    .description('Audit log append and verify throughput (median of runs)')
    .option('--events <n>', 'events appended per run', positiveInt, 50_000)
    .option('--callers <n>', 'concurrent callers', positiveInt, 200)
    .option('--runs <n>', 'runs per engine', positiveInt, 3)
    .option('--database-url <url>', 'PostgreSQL server (a fresh schema per run)', process.env.TARMAC_BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL)
    .option('--engines <list>', 'comma-separated: pglite,postgres', 'postgres,pglite')
    .parse(argv)
    .opts<{ events: number; callers: number; runs: number; databaseUrl: string; engines: string }>();
  const engines = opts.engines.split(',').map((e) => e.trim()) as Array<'pglite' | 'postgres'>;
  console.log(`audit bench: ${fmt(opts.events, 0)} events, ${opts.callers} concurrent callers, ${opts.runs} runs per engine, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const engine of engines) {
    const runs: AuditRun[] = [];
    for (let r = 1; r <= opts.runs; r++) {
      const run = await measureAuditAppend({ engine, events: opts.events, callers: opts.callers, databaseUrl: opts.databaseUrl });
      runs.push(run);
      console.log(`  ${engine} run ${r}: append ${fmt(run.appendPerSecond, 0)} events/s (${fmt(run.appendSeconds, 2)} s), verify ${fmt(run.verifyPerSecond, 0)} events/s`);
    }
    const append = median(runs.map((r) => r.appendPerSecond));
    const verify = median(runs.map((r) => r.verifyPerSecond));
    const target = engine === 'postgres' ? ` (target ≥ 5,000: ${append >= 5000 ? 'met' : 'NOT met'})` : '';
    console.log(`${engine}: median append ${fmt(append, 0)} events/s${target}, median verify ${fmt(verify, 0)} events/s`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
