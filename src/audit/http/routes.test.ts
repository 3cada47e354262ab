import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestTarmac, type TestTarmac } from '../../../test/helpers/tarmac.js';
import { silentLogger } from '../../core/logger.js';
import { testEngines } from '../../core/testing/databases.js';
import type { AuditEvent } from '../model/event.js';
import { verifyExport } from '../model/export.js';
import type { ListPage, VerifyResult } from '../service.js';
import { runCli } from '../../cli/testing/run-cli.js';
import { sampleEvent } from '../testing/tamper.js';
import { AuditWriter } from '../writer.js';

describe.each(testEngines())('audit API and CLI on %s', (engine) => {
  let tarmac: TestTarmac;
  let dir: string;
  const mine = (e: AuditEvent) => e.actor === 'test:routes';

  beforeAll(async () => {
    tarmac = await startTestTarmac(engine, []);
    dir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-audit-api-'));
    // A second writer on the server's own database stands in for the modules that record changes.
    const writer = new AuditWriter(tarmac.db, silentLogger());
    for (let i = 1; i <= 3; i++) {
      await writer.record(sampleEvent(i, { actor: 'test:routes', summary: { n: i, password: 'never-stored' } }));
    }
  });
  afterAll(async () => {
    await tarmac?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('GET /api/audit/events returns what was recorded, newest first, in the documented shape', async () => {
    const res = await api<ListPage>(tarmac.url, '/api/audit/events?actor=test:routes&limit=2');
    expect(res.status).toBe(200);
    expect(res.body.totalItems).toBe(3);
    expect(res.body.items.map((e) => e.resource)).toEqual(['location:3', 'location:2']);
    const e = res.body.items[0];
    expect(Object.keys(e ?? {}).sort()).toEqual(['action', 'actor', 'hash', 'id', 'ip', 'outcome', 'prevHash', 'requestId', 'resource', 'seq', 'summary', 'time'].sort());
    expect(e).toMatchObject({ action: 'template.run', outcome: 'success', requestId: 'req-3', ip: '127.0.0.1', summary: { n: 3, password: '[redacted]' } });
    expect(e?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const next = await api<ListPage>(tarmac.url, `/api/audit/events?actor=test:routes&limit=2&after=${res.body.nextCursor ?? ''}`);
    expect(next.body.items.map((x) => x.resource)).toEqual(['location:1']);
    expect(next.body.nextCursor).toBeUndefined();
    expect('totalItems' in next.body).toBe(false); // counted on the first page only
  });

  it('rejects bad query parameters with 400', async () => {
    for (const q of ['limit=0', 'limit=501', 'outcome=maybe', 'after=x', 'from=not-a-date', 'colour=blue']) {
      const res = await api<{ error: { code: string } }>(tarmac.url, `/api/audit/events?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
    }
    const exportRes = await api<{ error: { code: string; message: string } }>(tarmac.url, '/api/audit/export?from=nope');
    expect([exportRes.status, exportRes.body.error.message]).toEqual([400, 'from must be an ISO 8601 date or time, got "nope"']);
  });

  it('GET /api/audit/verify walks the chain; GET /api/audit/export streams JSON Lines that verify', async () => {
    const verify = await api<VerifyResult>(tarmac.url, '/api/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
    const total = Number((await api<ListPage>(tarmac.url, '/api/audit/events?limit=1')).body.totalItems); // first page: counted
    expect(verify.body.checked).toBe(total);

    const res = await fetch(`${tarmac.url}/api/audit/export`);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await res.text()).split('\n').filter(Boolean);
    expect(lines).toHaveLength(total + 2);
    expect(await verifyExport(lines)).toMatchObject({ ok: true, checked: total });
  });

  it('tarmac audit list and tarmac audit export talk to the server', async () => {
    const list = await runCli(['--url', tarmac.url, 'audit', 'list', '--actor', 'test:routes', '--format', 'json']);
    expect(list.code).toBe(0);
    const listed = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as AuditEvent);
    expect(listed.filter(mine).map((e) => e.resource)).toEqual(['location:3', 'location:2', 'location:1']);

    const table = await runCli(['--url', tarmac.url, 'audit', 'list', '--actor', 'test:routes', '--limit', '1']);
    expect(table.stdout).toMatch(/^SEQ +TIME +ACTOR +ACTION +RESOURCE +OUTCOME\n/);
    expect(table.stdout).toMatch(/\n1 of 3 events \(more with --all\)\n$/);

    const out = path.join(dir, 'export.jsonl');
    const exported = await runCli(['--url', tarmac.url, 'audit', 'export', '--out', out]);
    expect(exported.code).toBe(0);
    const verified = await runCli(['audit', 'verify', '--file', out]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^ok: \d+ events, chain intact\n/);
    expect(readFileSync(out, 'utf8')).not.toContain('never-stored');
  });

  it('tarmac audit list exits 1 with the server error for a bad filter', async () => {
    const run = await runCli(['--url', tarmac.url, 'audit', 'list', '--from', 'not-a-date']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tarmac: from must be an ISO 8601 date/);
  });
});
