import type { Database } from './database.js';

/** One schema migration. `id` is `<module>/<NNN>_<name>` and never changes once released. */
export interface Migration {
  id: string;
  sql: string;
}

// pg_advisory_lock key for migrations: any constant shared by every Tarmac process on the database.
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Applies, in order, the migrations not yet recorded in `tarmac_migrations`, each in its own transaction.
 * Several processes starting at once are serialised by an advisory lock, so each migration runs once.
 * @returns the ids applied by this call
 * @throws the database error of the failing migration (earlier ones stay applied)
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS tarmac_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const done = new Set((await tx.query<{ id: string }>('SELECT id FROM tarmac_migrations')).map((r) => r.id));
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      // PGlite's parameterised query takes one statement at a time, so migrations are split into statements.
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO tarmac_migrations (id) VALUES ($1)', [m.id]);
      applied.push(m.id);
    }
  });
  return applied;
}

/**
 * Splits migration SQL into statements on `;` at the end of a line. Migrations must not put `;` at a line end
 * inside a function body or string; none of Tarmac's do (plain DDL only).
 */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !/^(--[^\n]*\n?)*$/.test(s));
}
