/**
 * The auth module's only public entry: who is calling (sign-in with OIDC, sessions, API tokens, single-user mode)
 * and what they may do (roles, read rules, ownership: `./permissions`). See docs/auth.md and docs/permissions.md.
 */
import type { Command } from 'commander';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../core/auth.js';
import type { ModuleDeps, TarmacModule } from '../core/module.js';
import { createIdentityModule, type AuthModuleOptions, type AuthService } from './identity/module.js';
import type { PermissionsAuthorizer } from './permissions/index.js';
import { registerTokenCommands } from './tokens/cli/commands.js';

export { createAuthorizer, type PermissionsAuthorizer } from './permissions/index.js';
export type { AuthService, AuthModuleOptions } from './identity/module.js';
export type { MeResponse } from './identity/routes.js';
export type { CreateTokenInput, CreatedToken } from './tokens/service.js';
export type { TokenInfo } from './tokens/storage.js';
export { assertSafeAuthConfig, authMode, defaultBaseUrl, isLoopbackHost, type AuthMode } from './identity/mode.js';

/**
 * Builds the auth module: migrations, routes at `/api/auth` (sign-in, `/me`, `/tokens`, and the permissions part's
 * `/roles` when `opts.permissions` is given), `authenticate(req)` that the HTTP server calls once per request to set
 * `req.principal`, and the service (`createToken`, …).
 * @param opts.catalog resolves signed-in people to catalog Users and their Groups
 * @param opts.rolesFor roles of a person from their ownership refs (`PermissionsAuthorizer.rolesFor`)
 * @param opts.permissions when given, its migrations run before the identity ones, its `load()` runs after
 *   migrations and before serving, and its routes are mounted under `/api/auth`
 */
export function createAuthModule(
  deps: ModuleDeps,
  opts: AuthModuleOptions & { permissions?: Pick<PermissionsAuthorizer, 'migrations' | 'routes' | 'load'> },
): { module: TarmacModule; authenticate: (req: FastifyRequest) => Promise<Principal>; service: AuthService } {
  const identity = createIdentityModule(deps, opts);
  const permissions = opts.permissions;
  if (!permissions) return identity;
  let reloader: NodeJS.Timeout | undefined;
  const reload = async (): Promise<void> => {
    try {
      await permissions.load();
    } catch (err) {
      deps.logger.warn('role assignments reload failed; keeping the previous ones', { err: String(err) });
    }
  };
  const module: TarmacModule = {
    ...identity.module,
    migrations: [...permissions.migrations, ...identity.module.migrations],
    routes: async (app) => {
      // Routes are registered after migrations and before the server listens: the moment to fill the role cache.
      await permissions.load();
      await identity.module.routes?.(app);
      await permissions.routes(app);
    },
    start: async () => {
      await identity.module.start?.();
      // Role changes made through another Tarmac process on the same database arrive within this period.
      reloader = setInterval(() => void reload(), ROLE_RELOAD_MS);
      reloader.unref();
    },
    stop: async () => {
      if (reloader) clearInterval(reloader);
      await identity.module.stop?.();
    },
  };
  return { ...identity, module };
}

/** How often role assignments are re-read from the database, in ms (this process reloads at once after its own changes). */
export const ROLE_RELOAD_MS = 30_000;

/** Registers `tarmac login`, `tarmac logout` and `tarmac token create|list|revoke` (HTTP clients of `/api/auth`). */
export function registerAuthCommands(program: Command): void {
  registerTokenCommands(program);
}
