import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig, type LocationConfig, type TarmacConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { openTestDatabase, type TestEngine } from '../../src/core/testing/databases.js';
import { PROJECT_ROOT, startTarmac, type RunningTarmac } from '../../src/app.js';
import { catalogMigrations } from '../../src/catalog/index.js';

/** Absolute path of a file under ../shared (the public reference data beside the project). */
export function sharedPath(...parts: string[]): string {
  return path.resolve(PROJECT_ROOT, '..', 'shared', ...parts);
}

/** A Tarmac started for a test, on a fresh database of the given engine, listening on a free loopback port. */
export interface TestTarmac extends RunningTarmac {
  dataDir: string;
}

/**
 * Starts Tarmac for a test: fresh PGlite (or a fresh schema on the PostgreSQL server), a temp data dir, port 0,
 * no demo catalog, no periodic refresh, and waits until every configured location has been ingested once.
 */
export async function startTestTarmac(
  engine: TestEngine,
  locations: LocationConfig[],
  patch: (c: TarmacConfig) => void = () => undefined,
): Promise<TestTarmac> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-test-'));
  const base = defaultConfig();
  const config: TarmacConfig = {
    ...base,
    port: 0,
    dataDir,
    logLevel: 'silent',
    catalog: { ...base.catalog, demo: false, locations, refreshIntervalSeconds: 0 },
  };
  patch(config);
  const testDb = await openTestDatabase(engine, catalogMigrations);
  const tarmac = await startTarmac(config, { logger: silentLogger(), db: testDb.db });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${tarmac.url}/readyz`);
    if (res.status === 200) break;
    if (Date.now() > deadline) {
      const body = await res.text();
      await tarmac.close();
      await testDb.close();
      throw new Error(`test Tarmac not ready after 60 s: ${body}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    ...tarmac,
    dataDir,
    close: async () => {
      await tarmac.close();
      await testDb.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** GET/POST JSON helper for API tests: returns status and parsed body. */
export async function api<T = unknown>(
  base: string,
  pathAndQuery: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${base}${pathAndQuery}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

/** A run has ended: completed, failed or cancelled. */
export const taskEnded = (t: { status: string }): boolean => t.status !== 'open' && t.status !== 'processing';

/**
 * Polls `GET /tasks/:id` every 50 ms until `done(task)` holds (default: the run has ended).
 * @param opts.token API token sent as a bearer token (sign-in on); opts.timeoutMs default 60 000
 * @throws Error naming the run and its last status when `done` does not hold within the timeout
 */
export async function waitForTask<T extends { status: string }>(
  base: string,
  id: string,
  done: (t: T) => boolean = taskEnded,
  opts: { token?: string; timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const res = await fetch(`${base}/api/scaffolder/v2/tasks/${id}`, { headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {} });
    const body = (await res.json()) as T;
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${body.status} after ${opts.timeoutMs ?? 60_000} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
