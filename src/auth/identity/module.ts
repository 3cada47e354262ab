import { fastifyCookie } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../core/auth.js';
import type { ModuleDeps, TarmacModule } from '../../core/module.js';
import type { CatalogService } from '../../catalog/index.js';
import { createTokenStore, tokenMigrations } from '../tokens/storage.js';
import { TokenService, type CreateTokenInput, type CreatedToken } from '../tokens/service.js';
import { registerTokenRoutes } from '../tokens/routes.js';
import type { TokenInfo } from '../tokens/storage.js';
import { createAuthenticate } from './authenticate.js';
import { authMode, type AuthMode } from './mode.js';
import { OidcClient } from './oidc.js';
import { People, type Person } from './people.js';
import { baseUrlOf, registerIdentityRoutes } from './routes.js';
import { Sessions } from './sessions.js';
import { createSessionStore, sessionMigrations } from './storage.js';

/** How often expired sessions are deleted, in ms. */
export const SESSION_SWEEP_MS = 10 * 60_000;

/** What the auth module offers the app, tests and other modules. */
export interface AuthService {
  /** `oidc` or `single-user`. */
  readonly mode: AuthMode;
  /** Creates an API token for a User (tests use it to get principals). See `TokenService.createToken`. */
  createToken(input: CreateTokenInput): Promise<CreatedToken>;
  /** Lists tokens of a User, or all. */
  listTokens(userRef?: string): Promise<TokenInfo[]>;
  /** Revokes a token. @returns false when unknown or already revoked */
  revokeToken(id: string): Promise<boolean>;
  /** A catalog User ref → its Groups and ownership refs (cached 30 s). */
  person(userRef: string): Promise<Person>;
}

/** Options of `createAuthModule`. */
export interface AuthModuleOptions {
  /** Resolves signed-in people to catalog Users and Groups. */
  catalog: CatalogService;
  /** Roles of a person from their ownership refs (the permissions part's `rolesFor`). */
  rolesFor: (ownershipRefs: readonly string[]) => string[];
}

/**
 * Builds the identity side of the auth module: migrations (`auth_sessions`, `auth_tokens`), routes at `/api/auth`
 * (`/login`, `/callback`, `/logout`, `/me`, `/tokens`), `authenticate(req)` for the server's onRequest hook, and the
 * service. Single-user mode exactly when `auth.oidc` is absent (the app refuses it off loopback at start; see
 * `assertSafeAuthConfig`).
 */
export function createIdentityModule(
  deps: ModuleDeps,
  opts: AuthModuleOptions,
): { module: TarmacModule; authenticate: (req: FastifyRequest) => Promise<Principal>; service: AuthService } {
  const mode = authMode(deps.config);
  const people = new People(opts.catalog);
  const sessions = new Sessions(createSessionStore(deps.db), {
    ttlSeconds: deps.config.auth.sessionTtlHours * 3600,
    secure: () => baseUrlOf(deps.config).startsWith('https:'),
  });
  const tokens = new TokenService(createTokenStore(deps.db), people, { rolesFor: opts.rolesFor, singleUser: mode === 'single-user' });
  const { authenticate, sessionOf } = createAuthenticate({ mode, sessions, tokens, people, rolesFor: opts.rolesFor });
  const oidc = deps.config.auth.oidc ? new OidcClient(deps.config.auth.oidc) : undefined;
  let sweeper: NodeJS.Timeout | undefined;

  const sweep = async (): Promise<void> => {
    try {
      const removed = await sessions.sweep();
      if (removed > 0) deps.logger.debug('expired sessions removed', { removed });
    } catch (err) {
      deps.logger.warn('session sweep failed', { err: String(err) });
    }
  };

  const module: TarmacModule = {
    id: 'auth',
    migrations: [...sessionMigrations, ...tokenMigrations],
    routePrefix: '/api/auth',
    routes: async (app) => {
      // @fastify/cookie loads its parser when registered; `authenticate` and `Sessions` use its parse/serialize.
      // Registered here (this module's scope) unless the app already registered it globally.
      if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie);
      await registerIdentityRoutes(app, { config: deps.config, logger: deps.logger, audit: deps.audit, mode, oidc, sessions, people, sessionOf });
      await registerTokenRoutes(app, { tokens, authz: deps.authz, audit: deps.audit });
    },
    start: async () => {
      if (mode === 'single-user') deps.logger.warn('single-user mode: no sign-in, everyone on this machine is admin');
      else deps.logger.info('sign-in with OpenID Connect', { issuer: deps.config.auth.oidc?.issuer, redirect: `${baseUrlOf(deps.config)}/api/auth/callback` });
      await sweep();
      sweeper = setInterval(() => void sweep(), SESSION_SWEEP_MS);
      sweeper.unref();
    },
    stop: async () => {
      if (sweeper) clearInterval(sweeper);
    },
  };
  const service: AuthService = {
    mode,
    createToken: (input) => tokens.createToken(input),
    listTokens: (userRef) => tokens.list(userRef),
    revokeToken: (id) => tokens.revoke(id),
    person: (userRef) => people.byRef(userRef.toLowerCase()),
  };
  return { module, authenticate, service };
}
