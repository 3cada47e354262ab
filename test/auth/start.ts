/**
 * Starts Tarmac for the identity tests: a fresh database of the given engine, the people fixture
 * (test/fixtures/auth/people.yaml), a free loopback port chosen up front (so the OIDC redirect URL is known before
 * start), and every log line captured in memory (tests search it for secrets).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { PROJECT_ROOT, startTarmac, type RunningTarmac } from '../../src/app.js';
import { defaultConfig, type TarmacConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';
import { openTestDatabase, type TestEngine } from '../../src/core/testing/databases.js';
import { catalogMigrations } from '../../src/catalog/index.js';

/** The fixture with Users jane, bob, carol and Groups team-a → platform → engineering, loop-a ⇄ loop-b. */
export const PEOPLE_YAML = path.join(PROJECT_ROOT, 'test', 'fixtures', 'auth', 'people.yaml');

/** A Tarmac for identity tests, with its captured log. */
export interface IdentityTarmac extends RunningTarmac {
  config: TarmacConfig;
  /** Every log line written so far (JSON lines, debug level and up). */
  logText(): string;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Starts Tarmac on the people fixture; `patch` edits the config (e.g. adds `auth.oidc`). */
export async function startIdentityTarmac(engine: TestEngine, patch: (c: TarmacConfig) => void = () => undefined): Promise<IdentityTarmac> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-auth-'));
  const port = await freePort();
  const base = defaultConfig();
  const config: TarmacConfig = {
    ...base,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    logLevel: 'debug',
    catalog: { ...base.catalog, demo: false, locations: [{ type: 'file', target: PEOPLE_YAML }], refreshIntervalSeconds: 0 },
  };
  patch(config);
  let log = '';
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => { log += chunk.toString('utf8'); done(); } });
  const testDb = await openTestDatabase(engine, catalogMigrations);
  const tarmac = await startTarmac(config, { logger: createLogger('debug', sink), db: testDb.db });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && (await fetch(`${tarmac.url}/readyz`)).status !== 200) await new Promise((r) => setTimeout(r, 50));
  return {
    ...tarmac,
    config,
    logText: () => log,
    close: async () => {
      await tarmac.close();
      await testDb.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
