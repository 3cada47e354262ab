import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../core/config.js';
import { openDatabase } from '../../core/db/index.js';
import { TarmacError } from '../../core/errors.js';
import type { ExportVerifyResult } from '../model/export.js';
import { verifyExport } from '../model/export.js';
import { AuditService, type VerifyResult } from '../service.js';
import { hasAuditTable } from '../storage/events.js';

/** Where `tarmac audit verify` finds the database: the same sources as `tarmac start`. */
export interface DatabaseOptions {
  config?: string;
  dataDir?: string;
  databaseUrl?: string;
}

/**
 * Verifies the chain straight from the database (no server to trust), opened as `tarmac start` would open it.
 * With PGlite, stop the server first: an embedded database has one process at a time.
 * @throws TarmacError NOT_FOUND when there is no database or no audit table, CONFLICT when the PGlite folder is open
 *   in another process, NOT_READY when PostgreSQL is unreachable
 */
export async function verifyDatabase(opts: DatabaseOptions & { from?: number }): Promise<VerifyResult> {
  const config = loadConfig({ configPath: opts.config, overrides: { dataDir: opts.dataDir, databaseUrl: opts.databaseUrl } });
  const pgdata = path.join(config.dataDir, 'pgdata');
  if (!config.databaseUrl && !existsSync(pgdata)) {
    throw new TarmacError('NOT_FOUND', `no Tarmac database in ${config.dataDir} (give --data-dir or --database-url)`);
  }
  // PGlite does not lock its folder: a second process opening it while Tarmac runs could damage it. PGlite keeps
  // postmaster.pid while open and removes it on close.
  if (!config.databaseUrl && existsSync(path.join(pgdata, 'postmaster.pid'))) {
    throw new TarmacError(
      'CONFLICT',
      `${pgdata} is open in another process (a running Tarmac?): stop it first, or ask the server (GET /api/audit/verify). ` +
        `If no Tarmac runs, it was not shut down cleanly: delete ${path.join(pgdata, 'postmaster.pid')} and retry`,
    );
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (!(await hasAuditTable(db))) throw new TarmacError('NOT_FOUND', 'this database holds no audit log (has Tarmac run on it?)');
    return await new AuditService(db).verify({ from: opts.from });
  } finally {
    await db.close();
  }
}

/** Verifies an export file offline (see `verifyExport`), reading it line by line. */
export async function verifyFile(file: string): Promise<ExportVerifyResult> {
  if (!existsSync(file)) throw new TarmacError('NOT_FOUND', `${file} does not exist`);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  return verifyExport(lines);
}

/**
 * The report lines of a verification: `ok: N events, chain intact` (+ the last seq and hash, to keep as an
 * external anchor) or `BROKEN at seq N (id …): <reason>: <detail>` (`at line L` for file-level problems).
 */
export function formatVerify(r: VerifyResult | ExportVerifyResult): string {
  if (r.ok) {
    const last = 'last' in r && r.last ? `last: seq ${r.last.seq}, hash ${r.last.hash}\n` : 'lastHash' in r && r.lastHash ? `last hash: ${r.lastHash}\n` : '';
    return `ok: ${r.checked} ${r.checked === 1 ? 'event' : 'events'}, chain intact\n${last}`;
  }
  const b = r.firstBroken;
  if (!b) return 'BROKEN\n';
  const at = b.seq !== undefined ? `seq ${b.seq} (id ${b.id ?? '?'})` : `line ${'line' in b ? b.line : '?'}`;
  return `BROKEN at ${at}: ${b.reason}: ${b.message}\n`;
}
