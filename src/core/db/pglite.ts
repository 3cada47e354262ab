import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { mkdirSync } from 'node:fs';
import type { Database, Queryable } from './database.js';
import { INT8_OID } from './database.js';

const parsers = { [INT8_OID]: (v: string) => Number(v) };

/**
 * Opens embedded PostgreSQL (PGlite, WASM) keeping its files in `dataDir`, or in memory when `dataDir` is undefined.
 * PGlite runs one connection: statements and transactions are serialised by PGlite itself.
 * @throws when the directory cannot be created or is held by another process
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create({ dataDir, parsers, extensions: { pg_trgm } });
  const query = async <T>(sql: string, params?: readonly unknown[]): Promise<T[]> =>
    (await pg.query<T>(sql, params as unknown[] | undefined)).rows;
  return {
    engine: 'pglite',
    query,
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: (fn) =>
      pg.transaction(async (tx) => {
        const q: Queryable = {
          query: async <T>(sql: string, params?: readonly unknown[]) =>
            (await tx.query<T>(sql, params as unknown[] | undefined)).rows,
        };
        return fn(q);
      }),
    close: () => pg.close(),
  };
}
