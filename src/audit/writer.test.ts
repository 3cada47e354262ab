import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { openTestDatabase, testEngines, type TestDatabase } from '../core/testing/databases.js';
import { GENESIS_HASH, hashEvent, type AuditEvent } from './model/event.js';
import { AuditService } from './service.js';
import { auditMigrations } from './storage/migrations.js';
import { sampleEvent, tamper } from './testing/tamper.js';
import { AuditWriter, MAX_BATCH } from './writer.js';

describe.each(testEngines())('audit chain on %s', (engine) => {
  let t: TestDatabase;
  let writer: AuditWriter;
  let service: AuditService;

  beforeAll(async () => {
    t = await openTestDatabase(engine, auditMigrations);
    service = new AuditService(t.db);
  });
  afterAll(() => t.close());
  // Every test starts from an empty log (emptied the way an attacker would, trigger off).
  beforeEach(async () => {
    await tamper(t.db, [['DELETE FROM audit_events']]);
    writer = new AuditWriter(t.db, silentLogger());
  });
  afterEach(() => writer.stop());

  /** Records events 1…n one after the other and returns them oldest first. */
  async function recordSequentially(n: number) {
    for (let i = 1; i <= n; i++) await writer.record(sampleEvent(i));
    return (await service.list({ limit: 500 })).items.reverse();
  }

  it('appends events 1…n, each linked to the previous hash, and verifies', async () => {
    const events = await recordSequentially(5);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    expect(events.map((e) => e.resource)).toEqual(['location:1', 'location:2', 'location:3', 'location:4', 'location:5']);
    const times = events.map((e) => Date.parse(e.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(await service.verify()).toEqual({ ok: true, checked: 5, last: { seq: 5, hash: events[4]?.hash } });
    expect(await service.verify({ from: 3, batchSize: 2 })).toMatchObject({ ok: true, checked: 3 });
  });

  it('keeps one valid chain when many promises record at once (several batches)', async () => {
    const n = MAX_BATCH * 2 + 37;
    await Promise.all(Array.from({ length: n }, (_, i) => writer.record(sampleEvent(i + 1))));
    const result = await service.verify({ batchSize: 100 });
    expect(result).toMatchObject({ ok: true, checked: n, last: { seq: n } });
    const page = await service.list({ limit: 1 });
    expect(page.totalItems).toBe(n);
  });

  it('an invalid event is refused alone: the others of its batch are stored', async () => {
    const results = await Promise.allSettled([
      writer.record(sampleEvent(1)),
      writer.record(sampleEvent(2, { action: '' })),
      writer.record(sampleEvent(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await service.list()).items.map((e) => e.resource)).toEqual(['location:3', 'location:1']);
  });

  it('stores awkward text exactly as hashed (quotes, backslashes, commas, NULL, unicode)', async () => {
    const awkward = { actor: 'user:default/o"brien', action: 'a,b', resource: 'NULL', requestId: undefined, ip: '::1', summary: { s: 'a"b\\c{d},e', u: 'é😀', arr: ['NULL', null, '{}'] } };
    await writer.record(sampleEvent(1, awkward));
    const [stored] = (await service.list()).items;
    expect(stored).toMatchObject({ ...awkward, requestId: null });
    expect(await service.verify()).toMatchObject({ ok: true, checked: 1 });
  });

  it.runIf(engine === 'postgres')('two pools (two Tarmac processes) appending at once still form one chain', async () => {
    const other = await t.openAnother?.();
    if (!other) throw new Error('openAnother is missing');
    const second = new AuditWriter(other, silentLogger());
    const each = 700;
    await Promise.all([
      ...Array.from({ length: each }, (_, i) => writer.record(sampleEvent(i, { actor: 'process:a' }))),
      ...Array.from({ length: each }, (_, i) => second.record(sampleEvent(i, { actor: 'process:b' }))),
    ]);
    await second.stop();
    expect(await service.verify()).toMatchObject({ ok: true, checked: 2 * each });
    expect((await service.list({ actor: 'process:b', limit: 1 })).totalItems).toBe(each);
  });

  it('refuses UPDATE, DELETE and TRUNCATE through the normal role', async () => {
    await recordSequentially(2);
    await expect(t.db.query(`UPDATE audit_events SET actor = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(t.db.query('DELETE FROM audit_events WHERE seq = 2')).rejects.toThrow(/append-only: DELETE/);
    await expect(t.db.query('TRUNCATE audit_events')).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await service.verify()).toMatchObject({ ok: true, checked: 2 });
  });

  describe('tampering in the database is found at the exact row', () => {
    // Ten events, seq 1…10; each case works out by hand which seq verify must stop at and why.
    it('an edited summary (seq 4): hash mismatch at seq 4', async () => {
      const events = await recordSequentially(10);
      await tamper(t.db, [[`UPDATE audit_events SET summary = '{"n": 40}'::jsonb WHERE seq = 4`]]);
      const r = await service.verify();
      expect(r).toMatchObject({ ok: false, checked: 4, firstBroken: { seq: 4, id: events[3]?.id, reason: 'hash-mismatch' } });
    });

    it('an edited event whose hash was recomputed (seq 4): its successor seq 5 no longer links', async () => {
      const events = await recordSequentially(10);
      const { hash: _old, ...fourth } = events[3] as AuditEvent;
      const forged = hashEvent({ ...fourth, actor: 'someone-else' });
      await tamper(t.db, [[`UPDATE audit_events SET actor = 'someone-else', hash = $1 WHERE seq = 4`, [forged]]]);
      const r = await service.verify();
      expect(r.firstBroken).toMatchObject({ seq: 5, id: events[4]?.id, reason: 'prev-hash-mismatch' });
    });

    it('a deleted event (seq 6, via session_replication_role = replica): seq gap at seq 7', async () => {
      const events = await recordSequentially(10);
      await tamper(t.db, [['DELETE FROM audit_events WHERE seq = 6']], 'replica');
      const r = await service.verify();
      expect(r).toMatchObject({ ok: false, checked: 6, firstBroken: { seq: 7, id: events[6]?.id, reason: 'seq-gap' } });
    });

    it('two events with swapped seqs (3 and 5): the event now at seq 3 does not link to seq 2', async () => {
      const events = await recordSequentially(10);
      await tamper(t.db, [
        ['UPDATE audit_events SET seq = -1 WHERE seq = 3'],
        ['UPDATE audit_events SET seq = 3 WHERE seq = 5'],
        ['UPDATE audit_events SET seq = 5 WHERE seq = -1'],
      ]);
      const r = await service.verify();
      // seq 3 now holds the fifth event: its prevHash is the fourth event's hash, not the second's.
      expect(r).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 3, id: events[4]?.id, reason: 'prev-hash-mismatch' } });
    });

    it('a deleted first event: seq gap at seq 2', async () => {
      const events = await recordSequentially(3);
      await tamper(t.db, [['DELETE FROM audit_events WHERE seq = 1']]);
      expect((await service.verify()).firstBroken).toMatchObject({ seq: 2, id: events[1]?.id, reason: 'seq-gap' });
    });
  });
});
