import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testEngines, type TestDatabase } from '../../core/testing/databases.js';
import { RoleAssignments, permissionsMigrations } from './assignments.js';

describe.each(testEngines())('role assignments on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(engine, permissionsMigrations);
  });
  afterAll(async () => t?.close());

  it('combines config and API assignments, falls back to the default role, and survives a reload', async () => {
    const roles = new RoleAssignments(t.db, [{ role: 'admin', members: ['group:default/Platform', 'user:default/root'] }], 'viewer');
    await roles.load();
    expect(roles.rolesFor(['user:default/jane', 'group:default/platform'])).toEqual(['admin']);
    expect(roles.rolesFor(['user:default/jane'])).toEqual(['viewer']);

    const added = await roles.add('member', 'user:default/jane', 'user:default/root');
    expect(added.created).toBe(true);
    expect((await roles.add('member', 'user:default/jane', 'user:default/root')).created).toBe(false);
    expect(roles.rolesFor(['user:default/jane', 'group:default/platform'])).toEqual(['admin', 'member']);

    const again = new RoleAssignments(t.db, [], 'viewer');
    await again.load();
    expect(again.rolesFor(['user:default/jane'])).toEqual(['member']);
    expect(again.list().map((a) => [a.role, a.memberRef, a.source])).toEqual([['member', 'user:default/jane', 'api']]);

    expect(await roles.remove(added.assignment.id ?? '')).toMatchObject({ role: 'member', memberRef: 'user:default/jane' });
    expect(await roles.remove(added.assignment.id ?? '')).toBeUndefined();
    expect(roles.rolesFor(['user:default/jane'])).toEqual(['viewer']);
  });
});
