/**
 * Tarmac's one data-access layer: the same SQL and the same migrations run on embedded PGlite and on a
 * PostgreSQL server through `pg`. Modules receive a `Database` and keep their SQL in their own `storage/` folder.
 */

/** Anything that can run a parameterised statement (`$1`, `$2`, …) and return its rows. */
export interface Queryable {
  /**
   * Runs one statement.
   * @param sql SQL with `$n` placeholders
   * @param params values for the placeholders (objects are sent as JSON text; cast with `::jsonb`)
   * @returns the result rows (int8 columns arrive as JS numbers, timestamptz as Date)
   */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/** A connection pool (PostgreSQL) or the single embedded connection (PGlite). */
export interface Database extends Queryable {
  /** Which engine this is; only for logs, metrics and tests — SQL must not branch on it. */
  readonly engine: 'pglite' | 'postgres';
  /** Runs several `;`-separated statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` inside one transaction on one connection; commits when it resolves, rolls back when it throws.
   * Nested calls are not supported.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Closes the pool / the embedded database. */
  close(): Promise<void>;
}

/** PostgreSQL type OIDs that both drivers parse the same way. */
export const INT8_OID = 20;
