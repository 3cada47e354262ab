import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPglite, type Database } from '../../core/db/index.js';
import { silentLogger } from '../../core/logger.js';
import { openTestDatabase, testEngines, type TestDatabase } from '../../core/testing/databases.js';
import { AuditService } from '../service.js';
import { auditMigrations } from '../storage/migrations.js';
import { runCli } from '../../cli/testing/run-cli.js';
import { sampleEvent, tamper } from '../testing/tamper.js';
import { AuditWriter } from '../writer.js';

/**
 * `tarmac audit verify` against the database as `tarmac start` opens it: PGlite in `--data-dir`, or PostgreSQL at
 * `--database-url` (the suite's schema selected through the URL's `options=-c search_path=…`).
 */
describe.each(testEngines())('tarmac audit verify on %s', (engine) => {
  let dir: string;
  let dbArgs: string[];
  let open: () => Promise<Database>;
  let pg: TestDatabase | undefined;
  let ids: string[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-audit-cli-'));
    const config = path.join(dir, 'tarmac.yaml');
    writeFileSync(config, '{}\n');
    if (engine === 'pglite') {
      dbArgs = ['--config', config, '--data-dir', dir];
      open = () => openPglite(path.join(dir, 'pgdata'));
    } else {
      pg = await openTestDatabase('postgres', auditMigrations);
      const t = pg;
      dbArgs = ['--config', config, '--database-url', `${t.url}?options=${encodeURIComponent(`-c search_path=${t.schema}`)}`];
      open = async () => (await t.openAnother?.()) ?? t.db;
    }
    // PGlite allows one process at a time: write, close, then let the CLI open it.
    const db = await open();
    await migrate(db, auditMigrations);
    const writer = new AuditWriter(db, silentLogger());
    for (let i = 1; i <= 6; i++) await writer.record(sampleEvent(i));
    ids = (await new AuditService(db).list()).items.map((e) => e.id).reverse();
    if (engine === 'pglite') await db.close();
  });
  afterAll(async () => {
    await pg?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints "ok: 6 events, chain intact" and exits 0 on an intact chain', async () => {
    const run = await runCli(['audit', 'verify', ...dbArgs]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('ok: 6 events, chain intact');
  });

  it('verifies an export file offline and finds a tampered line in it', async () => {
    const db = await open();
    const lines: string[] = [];
    for await (const l of new AuditService(db).exportJsonl()) lines.push(l);
    if (engine === 'pglite') await db.close();
    const file = path.join(dir, 'export.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const ok = await runCli(['audit', 'verify', '--file', file]);
    expect([ok.code, ok.stdout.split('\n')[0]]).toEqual([0, 'ok: 6 events, chain intact']);

    // Event seq 2 is on line 3: change its actor.
    const text = readFileSync(file, 'utf8').split('\n');
    text[2] = (text[2] ?? '').replace('"actor":"token:ab12"', '"actor":"token:zz99"');
    writeFileSync(file, text.join('\n'));
    const broken = await runCli(['audit', 'verify', '--file', file]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(new RegExp(`^BROKEN at seq 2 \\(id ${ids[1]}\\): hash-mismatch`));
  });

  it('prints "BROKEN at seq 4 (id …)" and exits 1 after a row is edited in the database', async () => {
    const db = await open();
    await tamper(db, [[`UPDATE audit_events SET outcome = 'denied' WHERE seq = 4`]]);
    if (engine === 'pglite') await db.close();
    const run = await runCli(['audit', 'verify', ...dbArgs]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^BROKEN at seq 4 \\(id ${ids[3]}\\): hash-mismatch: `));
  });

  it.runIf(engine === 'pglite')('refuses to open a PGlite folder another process holds open', async () => {
    const db = await open();
    try {
      const run = await runCli(['audit', 'verify', ...dbArgs]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/is open in another process \(a running Tarmac\?\): stop it first/);
    } finally {
      await db.close();
    }
  });

  it('exits 1 with a clear message when there is no database', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'tarmac-audit-none-'));
    const run = await runCli(['audit', 'verify', '--config', path.join(dir, 'tarmac.yaml'), '--data-dir', empty]);
    rmSync(empty, { recursive: true, force: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tarmac: no Tarmac database in /);
  });
});
