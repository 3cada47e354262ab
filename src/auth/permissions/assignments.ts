/**
 * Role assignments: config `auth.roles` plus those managed through `/api/auth/roles` (table
 * `auth_role_assignments`), held in memory so `rolesFor` stays synchronous; reloaded after every change.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Migration } from '../../core/db/index.js';
import type { RoleAssignment } from '../../core/config.js';
import { normaliseRefs } from './ownership.js';

/** The permissions tables. Only this folder reads or writes them. */
export const permissionsMigrations: readonly Migration[] = [
  {
    id: 'auth/permissions_001_role_assignments',
    sql: `
CREATE TABLE auth_role_assignments (
  id text PRIMARY KEY,
  role text NOT NULL,
  member_ref text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (role, member_ref)
);
`,
  },
];

/** One assignment as the API shows it. Config ones have `source: 'config'` and no id (they cannot be deleted). */
export interface AssignmentView {
  id?: string;
  role: string;
  /** Lowercase User or Group ref. */
  memberRef: string;
  source: 'config' | 'api';
  createdBy?: string;
  /** ISO 8601. */
  createdAt?: string;
}

/** In-memory role assignments: ref → roles. */
export class RoleAssignments {
  private byRef = new Map<string, Set<string>>();
  private api: AssignmentView[] = [];
  private readonly fromConfig: AssignmentView[];

  constructor(
    private readonly db: Database,
    config: readonly RoleAssignment[],
    private readonly defaultRole: string,
  ) {
    this.fromConfig = config.flatMap((a) =>
      normaliseRefs(a.members, 'group').refs.map((memberRef) => ({ role: a.role, memberRef, source: 'config' as const })),
    );
    this.rebuild();
  }

  /** Every role whose assignment names one of `refs` (lowercase), else `[defaultRole]`. */
  rolesFor(refs: readonly string[]): string[] {
    const roles = new Set<string>();
    for (const ref of refs) for (const r of this.byRef.get(ref.toLowerCase()) ?? []) roles.add(r);
    return roles.size ? [...roles].sort() : [this.defaultRole];
  }

  /** Config assignments, then API ones (oldest first). */
  list(): AssignmentView[] {
    return [...this.fromConfig, ...this.api];
  }

  /** Re-reads the API-managed assignments. */
  async load(): Promise<void> {
    const rows = await this.db.query<{ id: string; role: string; member_ref: string; created_by: string; created_at: Date }>(
      'SELECT id, role, member_ref, created_by, created_at FROM auth_role_assignments ORDER BY created_at, id',
    );
    this.api = rows.map((r) => ({
      id: r.id,
      role: r.role,
      memberRef: r.member_ref,
      source: 'api',
      createdBy: r.created_by,
      createdAt: new Date(r.created_at).toISOString(),
    }));
    this.rebuild();
  }

  /** Adds an assignment (idempotent). @returns it and whether it is new */
  async add(role: string, memberRef: string, createdBy: string): Promise<{ assignment: AssignmentView; created: boolean }> {
    const inserted = await this.db.query<{ id: string }>(
      `INSERT INTO auth_role_assignments (id, role, member_ref, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (role, member_ref) DO NOTHING RETURNING id`,
      [randomUUID(), role, memberRef, createdBy],
    );
    await this.load();
    const assignment = this.api.find((a) => a.role === role && a.memberRef === memberRef);
    if (!assignment) throw new Error(`role assignment ${role} ${memberRef} vanished while being added`);
    return { assignment, created: inserted.length > 0 };
  }

  /** Removes an API-managed assignment. @returns the removed one, undefined when no such id */
  async remove(id: string): Promise<AssignmentView | undefined> {
    const found = this.api.find((a) => a.id === id);
    const gone = await this.db.query<{ id: string }>('DELETE FROM auth_role_assignments WHERE id = $1 RETURNING id', [id]);
    await this.load();
    return gone.length ? found ?? { id, role: '', memberRef: '', source: 'api' } : undefined;
  }

  private rebuild(): void {
    const byRef = new Map<string, Set<string>>();
    for (const a of [...this.fromConfig, ...this.api]) {
      const set = byRef.get(a.memberRef) ?? new Set<string>();
      set.add(a.role);
      byRef.set(a.memberRef, set);
    }
    this.byRef = byRef;
  }
}
