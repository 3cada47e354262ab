/**
 * The auth module's only public entry: who is calling (sessions, OIDC, API tokens) and what they may do (roles,
 * read rules, ownership). (Skeleton: single-user mode only; the real identity and permission code replaces it.)
 */
import type { FastifyRequest } from 'fastify';
import { ALLOW_ALL, type Authorizer, type Principal } from '../core/auth.js';
import type { TarmacConfig } from '../core/config.js';
import type { ModuleDeps, TarmacModule } from '../core/module.js';
import type { CatalogService } from '../catalog/index.js';

/**
 * The one authorization function, built from config alone (roles, read rules) so that it can be handed to every
 * module before any of them starts. Pure: decisions read the principal and the resource, never the database.
 */
export function createAuthorizer(_config: TarmacConfig): Authorizer {
  return ALLOW_ALL;
}

const LOCAL: Principal = Object.freeze({ type: 'local', actor: 'local', ownershipRefs: [], roles: ['admin'] });

/**
 * Builds the auth module: sign-in routes, sessions, API tokens, and `authenticate(req)` that the HTTP server calls
 * once per request to set `req.principal`.
 * @param opts.catalog resolves signed-in people to catalog Users and their Groups
 */
export function createAuthModule(
  _deps: ModuleDeps,
  _opts: { catalog: CatalogService },
): { module: TarmacModule; authenticate: (req: FastifyRequest) => Promise<Principal> } {
  return { module: { id: 'auth', migrations: [] }, authenticate: async () => LOCAL };
}
