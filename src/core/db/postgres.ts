import pg from 'pg';
import type { Database, Queryable } from './database.js';
import { INT8_OID } from './database.js';

pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));

/** Options for a PostgreSQL server connection. */
export interface PostgresOptions {
  /** postgres://user@host:port/db */
  connectionString: string;
  /** Schema to put first on the search_path (tests isolate themselves in one schema each). */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
}

/**
 * Opens a connection pool to a PostgreSQL server.
 * @throws on the first query if the server cannot be reached (the caller checks with `SELECT 1`)
 */
export async function openPostgres(opts: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    options: opts.schema ? `-c search_path=${opts.schema},public` : undefined,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const query = async <T>(sql: string, params?: readonly unknown[]): Promise<T[]> =>
    (await pool.query(sql, params as unknown[] | undefined)).rows as T[];
  return {
    engine: 'postgres',
    query,
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const q: Queryable = {
          query: async <T>(sql: string, params?: readonly unknown[]) =>
            (await client.query(sql, params as unknown[] | undefined)).rows as T[],
        };
        const result = await fn(q);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
