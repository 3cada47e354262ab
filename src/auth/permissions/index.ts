/**
 * Permissions: the one authorization function (`authorize(who, action, resource)`), roles, read rules, ownership
 * and API-managed role assignments (issue "Trust" › Permissions; docs/permissions.md).
 */
import type { FastifyInstance } from 'fastify';
import { NO_AUDIT, type AuditRecorder, type Authorizer, type EntityCondition, type Principal } from '../../core/auth.js';
import type { Migration } from '../../core/db/index.js';
import type { CoreDeps } from '../../core/module.js';
import { RoleAssignments, permissionsMigrations } from './assignments.js';
import { decide } from './decide.js';
import { NOTHING, compileReadRules, readCondition } from './read-rules.js';
import { registerRoleRoutes } from './routes.js';
import { anyScopeCovers } from '../tokens/scopes.js';
import { ACTION_BY_ID, rolesGrant } from './actions.js';

export { ACTIONS, ROLES, type ActionDef, type Role } from './actions.js';
export { ALLOWED_RUNNERS_ANNOTATION } from './decide.js';
export { entityOwners } from './ownership.js';

/** The authorizer plus what the app and the identity code need from the permissions part of the auth module. */
export interface PermissionsAuthorizer extends Authorizer {
  /**
   * The roles of a person owning `ownershipRefs` (their User ref and Groups, lowercase): every role whose assignment
   * (config `auth.roles` or `/api/auth/roles`) names one of the refs, else `[auth.defaultRole]`. Synchronous: reads
   * the in-memory cache that `load()` fills and every role change refreshes.
   */
  rolesFor(ownershipRefs: readonly string[]): string[];
  /** Migrations of the permissions tables (`auth_role_assignments`); run them before `load()`. */
  migrations: readonly Migration[];
  /** Registers `/roles` routes; mount inside a plugin with prefix `/api/auth` (→ `/api/auth/roles`). */
  routes: (app: FastifyInstance) => Promise<void>;
  /** Reads API-managed role assignments into the cache. Call after migrations, before serving. */
  load(): Promise<void>;
}

/**
 * Builds the authorizer from config (`auth.roles`, `auth.readRules`, `auth.defaultRole`) and the database
 * (API-managed role assignments). Decisions are pure and synchronous (no I/O): ≈ µs per call.
 * @param deps core deps; `audit` (optional) records role changes made through the API
 */
export function createAuthorizer(deps: CoreDeps & { audit?: AuditRecorder }): PermissionsAuthorizer {
  const rules = compileReadRules(deps.config.auth.readRules);
  const assignments = new RoleAssignments(deps.db, deps.config.auth.roles, deps.config.auth.defaultRole);
  const readDef = ACTION_BY_ID.get('catalog.entity.read');

  const entityReadCondition = (who: Principal): EntityCondition | null => {
    if (who.type === 'token' && !anyScopeCovers(who.scopes ?? [], 'catalog.entity.read')) {
      return NOTHING;
    }
    if (who.roles.includes('admin') && !who.ownedOnly) return null;
    if (!readDef || !rolesGrant(who.roles, readDef)) return NOTHING;
    return readCondition(who, rules);
  };
  const load = () => assignments.load();
  const routes = (app: FastifyInstance) => registerRoleRoutes(app, assignments, deps.audit ?? NO_AUDIT);

  return {
    authorize: (who, action, resource) => decide(who, action, resource, resource?.entity ? entityReadCondition(who) : null),
    entityReadCondition,
    rolesFor: (refs) => assignments.rolesFor(refs),
    migrations: permissionsMigrations,
    routes,
    load,
  };
}
