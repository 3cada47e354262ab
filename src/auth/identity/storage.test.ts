import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngines, type TestDatabase } from '../../core/testing/databases.js';
import { createSessionStore, sessionMigrations, type SessionStore } from './storage.js';

describe.each(testEngines())('session store (%s)', (engine) => {
  let tdb: TestDatabase;
  let store: SessionStore;
  beforeAll(async () => {
    tdb = await openTestDatabase(engine, sessionMigrations);
    store = createSessionStore(tdb.db);
  });
  afterAll(() => tdb.close());

  const row = (id: string, ttlSeconds: number) => ({
    id, secretHash: 'a'.repeat(64), csrfHash: 'b'.repeat(64), userRef: 'user:default/jane', displayName: 'Jane', email: null,
    pending: id.startsWith('p') ? { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/x' } : null, ttlSeconds,
  });

  it('returns live sessions with their pending sign-in, hides expired ones, and sweeps only the expired', async () => {
    await store.insert(row('live', 3600));
    await store.insert(row('pending', 600));
    await store.insert(row('old', 3600));
    await tdb.db.query(`UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE id = 'old'`);
    expect((await store.get('live'))?.userRef).toBe('user:default/jane');
    expect((await store.get('pending'))?.pending).toEqual({ state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/x' });
    expect(await store.get('old')).toBeUndefined();
    expect(await store.sweep()).toBe(1);
    expect((await tdb.db.query<{ id: string }>('SELECT id FROM auth_sessions ORDER BY id')).map((r) => r.id)).toEqual(['live', 'pending']);
    expect(await store.delete('live')).toBe(true);
    expect(await store.delete('live')).toBe(false);
  });
});
