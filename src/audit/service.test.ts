import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isTarmacError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { openTestDatabase, testEngines, type TestDatabase } from '../core/testing/databases.js';
import { GENESIS_HASH, type AuditEvent } from './model/event.js';
import { verifyExport } from './model/export.js';
import { AuditService } from './service.js';
import { auditMigrations } from './storage/migrations.js';
import { sampleEvent, tamper } from './testing/tamper.js';
import { AuditWriter } from './writer.js';

const collect = async (lines: AsyncIterable<string>): Promise<string[]> => {
  const out: string[] = [];
  for await (const l of lines) out.push(l);
  return out;
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testEngines())('audit service on %s', (engine) => {
  let t: TestDatabase;
  let writer: AuditWriter;
  let service: AuditService;
  /** The nine recorded events, oldest first. */
  let events: AuditEvent[];

  beforeAll(async () => {
    t = await openTestDatabase(engine, auditMigrations);
    service = new AuditService(t.db);
    writer = new AuditWriter(t.db, silentLogger());
  });
  afterAll(async () => {
    await writer.stop();
    await t.close();
  });
  // Three groups of three events, 30 ms apart, so each group has later times than the one before.
  beforeEach(async () => {
    await tamper(t.db, [['DELETE FROM audit_events']]);
    for (let i = 1; i <= 9; i++) {
      if (i === 4 || i === 7) await pause(30);
      await writer.record(sampleEvent(i));
    }
    events = (await service.list()).items.reverse();
  });

  it('lists newest first with filters and a seq cursor', async () => {
    // sampleEvent: odd n → user:default/jane; n divisible by 3 → template.run.
    const jane = await service.list({ actor: 'user:default/jane', limit: 2 });
    expect(jane.totalItems).toBe(5);
    expect(jane.items.map((e) => e.resource)).toEqual(['location:9', 'location:7']);
    expect(jane.nextCursor).toBe('7');
    const rest = await service.list({ actor: 'user:default/jane', limit: 2, after: jane.nextCursor });
    expect(rest.items.map((e) => e.resource)).toEqual(['location:5', 'location:3']);
    const last = await service.list({ actor: 'user:default/jane', limit: 2, after: rest.nextCursor });
    expect(last.items.map((e) => e.resource)).toEqual(['location:1']);
    expect(last.nextCursor).toBeUndefined();

    expect((await service.list({ action: 'template.run' })).items.map((e) => e.seq)).toEqual([9, 6, 3]);
    expect((await service.list({ action: 'catalog.*' })).totalItems).toBe(6);
    expect((await service.list({ resource: 'location:4', outcome: 'success' })).items.map((e) => e.seq)).toEqual([4]);
    expect((await service.list({ outcome: 'denied' })).totalItems).toBe(0);
    const second = await service.list({ from: events[3]?.time, to: events[6]?.time });
    expect(second.items.map((e) => e.seq)).toEqual([6, 5, 4]);
  });

  it('refuses a bad cursor, time or limit', async () => {
    for (const q of [{ after: 'abc' }, { from: 'yesterday' }, { limit: 0 }]) {
      const err = await service.list(q).catch((e: unknown) => e);
      expect(isTarmacError(err, 'BAD_REQUEST')).toBe(true);
    }
  });

  it('stores summaries with secrets redacted', async () => {
    await writer.record(sampleEvent(10, { summary: { name: 'ci', token: 'tk_live_123', nested: { password: 'hunter2' } } }));
    const [stored] = (await service.list({ resource: 'location:10' })).items;
    expect(stored?.summary).toEqual({ name: 'ci', token: '[redacted]', nested: { password: '[redacted]' } });
    const raw = await t.db.query<{ s: string }>('SELECT summary::text AS s FROM audit_events');
    expect(raw.map((r) => r.s).join('\n')).not.toMatch(/tk_live_123|hunter2/);
  });

  it('exports the whole chain with the genesis anchor, and the export verifies on its own', async () => {
    const lines = await collect(service.exportJsonl({ batchSize: 4 }));
    expect(lines).toHaveLength(11);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ type: 'header', anchor: { prevHash: GENESIS_HASH, firstSeq: 1 } });
    expect(lines.slice(1, 10).map((l) => JSON.parse(l) as AuditEvent)).toEqual(events);
    expect(JSON.parse(lines[10] ?? '')).toEqual({ type: 'footer', count: 9, lastSeq: 9, lastHash: events[8]?.hash });
    expect(await verifyExport(lines)).toMatchObject({ ok: true, checked: 9, lastHash: events[8]?.hash });
  });

  it('exports a time range anchored on the event before it', async () => {
    const lines = await collect(service.exportJsonl({ from: events[3]?.time, to: events[6]?.time }));
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ anchor: { prevHash: events[2]?.hash, firstSeq: 4 } });
    expect(lines.slice(1, -1).map((l) => (JSON.parse(l) as AuditEvent).seq)).toEqual([4, 5, 6]);
    expect(await verifyExport(lines)).toMatchObject({ ok: true, checked: 3 });
    const empty = await collect(service.exportJsonl({ from: '2000-01-01', to: '2000-01-02' }));
    expect(empty).toHaveLength(2);
    expect(await verifyExport(empty)).toMatchObject({ ok: true, checked: 0 });
  });

  it('verifyExport finds an edited line, a removed line and a cut-off file', async () => {
    const lines = await collect(service.exportJsonl());
    // Line 1 is the header, so event seq n is on line n + 1.
    const edited = [...lines];
    edited[5] = JSON.stringify({ ...(JSON.parse(edited[5] ?? '') as AuditEvent), outcome: 'denied' });
    expect((await verifyExport(edited)).firstBroken).toMatchObject({ line: 6, seq: 5, reason: 'hash-mismatch' });
    const removed = lines.filter((_, i) => i !== 3);
    expect((await verifyExport(removed)).firstBroken).toMatchObject({ line: 4, seq: 4, reason: 'seq-gap' });
    expect((await verifyExport(lines.slice(0, -1))).firstBroken).toMatchObject({ reason: 'missing-footer' });
    expect((await verifyExport(['{"not":"a header"}'])).firstBroken).toMatchObject({ line: 1, reason: 'missing-header' });
  });
});
