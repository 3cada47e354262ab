import { randomBytes } from 'node:crypto';
import type { Database, Migration } from '../db/index.js';
import { migrate, openPglite, openPostgres } from '../db/index.js';

/** Engines a storage or API suite runs against. */
export type TestEngine = 'pglite' | 'postgres';

/**
 * The engines to run database suites on: always PGlite, plus PostgreSQL when TARMAC_TEST_DATABASE_URL is set
 * (CI sets it to postgres://postgres@127.0.0.1:5432/test). Use with `describe.each(testEngines())`.
 */
export function testEngines(): TestEngine[] {
  return process.env.TARMAC_TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** A database opened for one test suite, and how to drop it. */
export interface TestDatabase {
  db: Database;
  /** Connection string for a second process/pool on the same data (PostgreSQL only, else undefined). */
  url?: string;
  /** Schema holding this suite's tables (PostgreSQL only). */
  schema?: string;
  /** Opens another pool on the same schema (PostgreSQL only): used to simulate a second Tarmac process. */
  openAnother?: () => Promise<Database>;
  close(): Promise<void>;
}

/**
 * Opens a fresh, migrated database for a suite. On PostgreSQL each suite gets its own schema
 * (`t_<random>`), dropped on close, so suites running in parallel never see each other's rows.
 */
export async function openTestDatabase(engine: TestEngine, migrations: readonly Migration[]): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const db = await openPglite();
    await migrate(db, migrations);
    return { db, close: () => db.close() };
  }
  const url = process.env.TARMAC_TEST_DATABASE_URL;
  if (!url) throw new Error('TARMAC_TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres({ connectionString: url, max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = await openPostgres({ connectionString: url, schema });
  await migrate(db, migrations);
  const others: Database[] = [];
  return {
    db,
    url,
    schema,
    openAnother: async () => {
      const other = await openPostgres({ connectionString: url, schema });
      others.push(other);
      return other;
    },
    close: async () => {
      for (const o of others) await o.close().catch(() => undefined);
      await db.close();
      const cleanup = await openPostgres({ connectionString: url, max: 1 });
      await cleanup.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await cleanup.close();
    },
  };
}
