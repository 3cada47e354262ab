/**
 * The named actions Tarmac checks, in one table (issue "Trust" › Permissions; listed in docs/permissions.md), and
 * the built-in roles derived from it. An action not in this table is denied to everyone.
 */

/** Built-in roles (config `auth.roles[].role`). */
export const ROLES = ['admin', 'member', 'viewer'] as const;
/** One built-in role. */
export type Role = (typeof ROLES)[number];

/** One named action. */
export interface ActionDef {
  id: string;
  description: string;
  /** Roles that get it (admin gets every action regardless). */
  roles: readonly Role[];
  /**
   * Ownership applies: for non-admins, a concrete resource must be owned by the caller (an entity's owners, a
   * location's creator, a token's creator, a task's runner). Without a resource the check is route-level only.
   */
  ownership: boolean;
}

const ALL: readonly Role[] = ['admin', 'member', 'viewer'];
const MEMBER: readonly Role[] = ['admin', 'member'];
const ADMIN: readonly Role[] = ['admin'];

/** Every action, in documentation order. */
export const ACTIONS: readonly ActionDef[] = [
  { id: 'catalog.entity.read', description: 'Read entities (lists, queries, facets, search, source)', roles: ALL, ownership: false },
  { id: 'catalog.entity.delete', description: 'Delete an entity (it returns at the next refresh if still emitted)', roles: MEMBER, ownership: true },
  { id: 'catalog.entity.refresh', description: "Re-read the location that emitted an entity", roles: MEMBER, ownership: true },
  { id: 'catalog.location.read', description: 'Read locations, their status and ingestion errors', roles: ALL, ownership: false },
  { id: 'catalog.location.create', description: 'Register a location (also dry-run and validate-entity)', roles: MEMBER, ownership: false },
  { id: 'catalog.location.delete', description: 'Unregister a location and remove its entities', roles: MEMBER, ownership: true },
  { id: 'catalog.location.refresh', description: 'Re-read a location now', roles: MEMBER, ownership: true },
  { id: 'template.read', description: 'Read templates, their parameter schemas and the action list', roles: ALL, ownership: false },
  { id: 'template.run', description: 'Run a template (and dry-run it)', roles: MEMBER, ownership: false },
  { id: 'template.upgrade', description: "Upgrade a repository made from a template (its component's owners; all of a template's: its owners)", roles: MEMBER, ownership: true },
  { id: 'task.read', description: 'Read template runs and their logs', roles: ALL, ownership: true },
  { id: 'task.cancel', description: 'Cancel a template run', roles: MEMBER, ownership: true },
  { id: 'token.create', description: 'Create an API token for oneself', roles: MEMBER, ownership: false },
  { id: 'token.read', description: "List one's API tokens", roles: MEMBER, ownership: true },
  { id: 'token.revoke', description: 'Revoke an API token', roles: MEMBER, ownership: true },
  { id: 'audit.read', description: 'Query and export the audit log', roles: ADMIN, ownership: false },
  { id: 'audit.verify', description: "Verify the audit log's hash chain", roles: ADMIN, ownership: false },
  { id: 'admin.roles.read', description: 'List role assignments', roles: ADMIN, ownership: false },
  { id: 'admin.roles.write', description: 'Add or remove role assignments', roles: ADMIN, ownership: false },
  { id: 'admin.metrics.read', description: 'Read /metrics when auth.publicMetrics is false', roles: ADMIN, ownership: false },
];

/** Actions by id. */
export const ACTION_BY_ID: ReadonlyMap<string, ActionDef> = new Map(ACTIONS.map((a) => [a.id, a]));

/** Whether any of `roles` is given `action` by the table (`admin` gets every known action). */
export function rolesGrant(roles: readonly string[], action: ActionDef): string | undefined {
  if (roles.includes('admin')) return 'admin';
  return roles.find((r) => (action.roles as readonly string[]).includes(r));
}
