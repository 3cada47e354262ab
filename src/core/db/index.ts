import { redactUrl } from '../logger.js';
import { TarmacError } from '../errors.js';
import type { Database } from './database.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export type { Database, Queryable } from './database.js';
export type { Migration } from './migrate.js';
export { migrate } from './migrate.js';
export { openPglite } from './pglite.js';
export { openPostgres } from './postgres.js';

/**
 * Opens the configured database: a PostgreSQL server when `databaseUrl` is set, else PGlite in `<dataDir>/pgdata`.
 * @throws TarmacError NOT_READY when the server cannot be reached (the URL is shown without its password)
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  if (!opts.databaseUrl) return openPglite(`${opts.dataDir}/pgdata`);
  const db = await openPostgres({ connectionString: opts.databaseUrl });
  try {
    await db.query('SELECT 1');
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new TarmacError('NOT_READY', `cannot reach PostgreSQL at ${redactUrl(opts.databaseUrl)}: ${String(err)}`, {
      cause: err,
    });
  }
  return db;
}
