import pg from 'pg';

/** Replaces the database name (URL path) of a PostgreSQL URL. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The URL to run DROP/CREATE DATABASE from: the given one, or its `postgres` database if it names `name` itself. */
function adminUrl(databaseUrl: string, name: string): string {
  return new URL(databaseUrl).pathname.replace(/^\//, '') === name ? withDatabase(databaseUrl, 'postgres') : databaseUrl;
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain lowercase database name: "${name}"`);
}

/**
 * Drops (forcing out any connection) and creates database `name` on the server of `databaseUrl`, connecting
 * through the URL's own database. Returns the URL of the new, empty database.
 * @throws Error when the server cannot be reached or the user may not create databases
 */
export async function recreateDatabase(databaseUrl: string, name: string): Promise<string> {
  assertIdentifier(name);
  const client = new pg.Client({ connectionString: adminUrl(databaseUrl, name) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return withDatabase(databaseUrl, name);
}

/** Drops database `name` on the server of `databaseUrl` (forcing out connections); no error when it is absent. */
export async function dropDatabase(databaseUrl: string, name: string): Promise<void> {
  assertIdentifier(name);
  const client = new pg.Client({ connectionString: adminUrl(databaseUrl, name) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
