import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngines, type TestDatabase } from '../../core/testing/databases.js';
import { taskMigrations } from './migrations.js';
import { createTaskStore, type TaskStore } from './store.js';

describe.each(testEngines())('task store (%s)', (engine) => {
  let t: TestDatabase;
  let store: TaskStore;
  const insert = (id: string, processId: string) =>
    store.insert({ id, templateRef: 'template:default/x', templateVersion: 'v', createdBy: 'local', ownerRef: 'local', values: {}, steps: [], processId });

  beforeAll(async () => {
    t = await openTestDatabase(engine, taskMigrations);
    store = createTaskStore(t.db);
  });
  afterAll(async () => t?.close());

  it('fails only runs whose process is gone: stale heartbeat or an earlier life of this host:pid', async () => {
    await insert('live-other', 'other:1:aaaa'); // fresh heartbeat, another process: left alone
    await insert('stale', 'other:2:bbbb');
    await t.db.query(`UPDATE scaffolder_tasks SET last_heartbeat_at = now() - interval '1 hour' WHERE id = 'stale'`);
    await insert('earlier-life', 'me:7:old0');
    await insert('mine', 'me:7:new1');
    await insert('done', 'other:2:bbbb');
    await store.finish('done', { status: 'completed' });
    await t.db.query(`UPDATE scaffolder_tasks SET last_heartbeat_at = now() - interval '1 hour' WHERE id = 'done'`);
    const failed = await store.failAbandoned({ processId: 'me:7:new1', processPrefix: 'me:7:', staleSeconds: 30, reason: 'gone' });
    expect(failed.sort()).toEqual(['earlier-life', 'stale']);
    expect((await store.get('stale'))?.error).toBe('gone');
    expect((await store.get('live-other'))?.status).toBe('open');
    expect((await store.get('mine'))?.status).toBe('open');
    expect((await store.get('done'))?.status).toBe('completed');
  });

  it('heartbeats its own unfinished runs and reports cancel requests', async () => {
    await insert('hb', 'p:1:x');
    await store.requestCancel('hb');
    expect(await store.heartbeat('p:1:x')).toEqual(['hb']);
    expect(await store.heartbeat('p:9:none')).toEqual([]);
  });

  it('appends events in order and pages them by id', async () => {
    await insert('ev', 'p:1:x');
    const a = await store.appendEvent('ev', 'log', { createdAt: '', level: 'info', message: 'one' });
    const b = await store.appendEvent('ev', 'completion', { createdAt: '', level: 'info', message: 'two' });
    expect(b.id).toBeGreaterThan(a.id);
    expect((await store.events('ev', 0)).map((e) => e.body.message)).toEqual(['one', 'two']);
    expect((await store.events('ev', a.id)).map((e) => e.type)).toEqual(['completion']);
  });

  it('reads a run\'s status alone, and undefined for an unknown run', async () => {
    await insert('status-only', 'p:2:y');
    expect(await store.status('status-only')).toBe('open');
    await store.finish('status-only', { status: 'cancelled' });
    expect(await store.status('status-only')).toBe('cancelled');
    expect(await store.status('no-such-run')).toBeUndefined();
  });
});
