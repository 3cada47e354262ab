import type { FastifyRequest } from 'fastify';
import { ANONYMOUS, type Principal } from '../../core/auth.js';
import { TarmacError } from '../../core/errors.js';
import type { TokenService } from '../tokens/service.js';
import type { AuthMode } from './mode.js';
import { isLoopbackHost } from './mode.js';
import type { People } from './people.js';
import { matchesHash } from './secrets.js';
import type { ActiveSession, Sessions } from './sessions.js';

/** The principal of single-user mode: every local request, admin, owning nothing. */
export const LOCAL_PRINCIPAL: Principal = Object.freeze({
  type: 'local',
  actor: 'local',
  displayName: 'Local user',
  ownershipRefs: [],
  roles: ['admin'],
});

/** Methods that never change anything, so need no CSRF token (RFC 9110 §9.2.1 "safe methods"). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What `authenticate` needs. */
export interface AuthenticatorDeps {
  mode: AuthMode;
  sessions: Sessions;
  tokens: TokenService;
  people: People;
  rolesFor: (ownershipRefs: readonly string[]) => string[];
}

/**
 * Builds `authenticate(req)`, run by the server once per request (onRequest hook), in this order:
 * 1. `Authorization: Bearer tmk_…` → the token's principal (no CSRF check: browsers never add it on their own);
 *    a bad token is UNAUTHENTICATED, even on public routes, so a client learns its token is wrong. `Authorization:
 *    Basic` whose password is an API token counts the same (git over HTTP: `http://x:tmk_…@host/git/o/r.git`).
 * 2. Single-user mode → `LOCAL_PRINCIPAL`, but only for requests addressed to a loopback host name (blocks DNS
 *    rebinding) and, for writes, not sent cross-site (blocks other web pages posting to localhost).
 * 3. OIDC mode → the signed-in session of the `tarmac_session` cookie, else `ANONYMOUS`. Cookie-authenticated
 *    writes must carry `x-csrf-token` equal to the session's token (OWASP synchronizer token).
 * @throws TarmacError UNAUTHENTICATED (bad token), FORBIDDEN (CSRF check failed)
 */
export function createAuthenticate(deps: AuthenticatorDeps): {
  authenticate: (req: FastifyRequest) => Promise<Principal>;
  /** The session `authenticate` found for this request (for `/me` and `/logout`). */
  sessionOf: (req: FastifyRequest) => ActiveSession | undefined;
} {
  const found = new WeakMap<FastifyRequest, ActiveSession>();
  const authenticate = async (req: FastifyRequest): Promise<Principal> => {
    const header = req.headers.authorization;
    if (typeof header === 'string' && /^bearer\s/i.test(header)) return deps.tokens.authenticate(header.replace(/^bearer\s+/i, '').trim());
    const basicToken = typeof header === 'string' ? tokenInBasicAuth(header) : undefined;
    if (basicToken !== undefined) return deps.tokens.authenticate(basicToken);
    if (deps.mode === 'single-user') {
      if (!isLoopbackHost(req.headers.host ?? '')) return ANONYMOUS;
      if (!SAFE_METHODS.has(req.method) && isCrossSite(req)) {
        throw new TarmacError('FORBIDDEN', 'cross-site writes are refused in single-user mode');
      }
      return LOCAL_PRINCIPAL;
    }
    const session = await deps.sessions.fromRequest(req);
    if (!session) return ANONYMOUS;
    found.set(req, session);
    const { row } = session;
    if (!row.userRef) return ANONYMOUS; // a sign-in in progress
    if (!SAFE_METHODS.has(req.method)) {
      const given = req.headers['x-csrf-token'];
      if (typeof given !== 'string' || !matchesHash(given, row.csrfHash)) {
        throw new TarmacError('FORBIDDEN', 'missing or wrong x-csrf-token header (read it from GET /api/auth/me)');
      }
    }
    const person = await deps.people.byRef(row.userRef);
    return {
      type: 'user',
      actor: row.userRef,
      userRef: row.userRef,
      displayName: row.displayName ?? person.displayName ?? row.userRef,
      ownershipRefs: person.ownershipRefs,
      roles: deps.rolesFor(person.ownershipRefs),
      sessionId: row.id,
    };
  };
  return { authenticate, sessionOf: (req) => found.get(req) };
}

/** True when the browser says the request comes from another site (Fetch Metadata, or an Origin of another host). */
function isCrossSite(req: FastifyRequest): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === '') return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/** The API token in an `Authorization: Basic base64(user:password)` header whose password is one (`tmk_…`), else undefined. */
export function tokenInBasicAuth(header: string): string | undefined {
  const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  return decoded.includes(':') && password.startsWith('tmk_') ? password : undefined;
}
