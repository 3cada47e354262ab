import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, type TarmacConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { openTestDatabase, testEngines, type TestDatabase } from '../../src/core/testing/databases.js';
import { startTarmac, type RunningTarmac } from '../../src/app.js';
import { catalogMigrations } from '../../src/catalog/index.js';
import { INTERRUPTED } from '../../src/scaffolder/index.js';
import { api } from '../helpers/tarmac.js';
import { createWaitAction, FIXTURES, waitForTask } from './helpers.js';

interface Task {
  id: string;
  status: string;
  error?: { message: string };
}

describe.each(testEngines())('scaffolder crash recovery and run timeout (%s)', (engine) => {
  let testDb: TestDatabase;
  let tarmac: RunningTarmac;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-recovery-'));
  const staleId = randomUUID();
  const config: TarmacConfig = (() => {
    const base = defaultConfig();
    return {
      ...base,
      port: 0,
      dataDir,
      logLevel: 'silent',
      scaffolder: { ...base.scaffolder, runTimeoutSeconds: 1 },
      catalog: { ...base.catalog, demo: false, refreshIntervalSeconds: 0, locations: [{ type: 'file', target: path.join(FIXTURES, 'all.yaml') }] },
    };
  })();

  beforeAll(async () => {
    testDb = await openTestDatabase(engine, catalogMigrations);
    // A first life creates the tables, then stops.
    const first = await startTarmac(config, { logger: silentLogger(), db: testDb.db });
    await first.close();
    // What a killed process leaves: a processing run with an old heartbeat and a half-made workspace.
    await testDb.db.query(
      `INSERT INTO scaffolder_tasks (id, template_ref, template_version, created_by, owner_ref, "values", status, steps, created_at, started_at, last_heartbeat_at, process_id)
       VALUES ($1, 'template:default/slow', 'v', 'local', 'local', '{}'::jsonb, 'processing', '[]'::jsonb, now() - interval '10 minutes', now() - interval '10 minutes', now() - interval '5 minutes', 'gone-host:1:abcd')`,
      [staleId],
    );
    const workspace = path.join(dataDir, 'scaffolder', 'workspaces', staleId);
    mkdirSync(workspace, { recursive: true });
    writeFileSync(path.join(workspace, 'half.txt'), 'half-made');
    tarmac = await startTarmac(config, { logger: silentLogger(), db: testDb.db });
  }, 120_000);

  afterAll(async () => {
    await tarmac?.close();
    await testDb?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('marks a run left processing by a gone process failed, with the reason, and removes its workspace', async () => {
    const { body } = await api<Task>(tarmac.url, `/api/scaffolder/v2/tasks/${staleId}`);
    expect(body.status).toBe('failed');
    expect(body.error?.message).toBe(INTERRUPTED);
    expect(INTERRUPTED).toBe('interrupted: Tarmac stopped while this run was in progress');
    expect(existsSync(path.join(dataDir, 'scaffolder', 'workspaces', staleId))).toBe(false);
    const events = await api<Array<{ type: string }>>(tarmac.url, `/api/scaffolder/v2/tasks/${staleId}/events`);
    expect(events.body.map((e) => e.type)).toEqual(['completion']);
  });

  it('fails a run that exceeds scaffolder.runTimeoutSeconds', async () => {
    const wait = createWaitAction();
    tarmac.scaffolder.registerAction(wait.action);
    const res = await api<{ id: string }>(tarmac.url, '/api/scaffolder/v2/tasks', { body: { templateRef: 'slow', values: { label: 'never' } } });
    expect(res.status).toBe(201);
    const task = await waitForTask<Task>(tarmac.url, res.body.id, (t) => t.status !== 'open' && t.status !== 'processing');
    expect(task.status).toBe('failed');
    expect(task.error?.message).toBe('timed out after 1 s');
  });
});
