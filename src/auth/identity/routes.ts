import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditRecorder, Principal } from '../../core/auth.js';
import type { TarmacConfig } from '../../core/config.js';
import { HTTP_STATUS_BY_CODE, TarmacError, errorMessage, isTarmacError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { AuthMode } from './mode.js';
import { defaultBaseUrl, isLoopbackHost } from './mode.js';
import type { OidcClient } from './oidc.js';
import type { People } from './people.js';
import { checkReturnTo } from './return-to.js';
import type { ActiveSession, Sessions } from './sessions.js';

const TAG = ['auth: sign-in'];

/** What the sign-in routes need. */
export interface IdentityRouteDeps {
  config: TarmacConfig;
  logger: Logger;
  audit: AuditRecorder;
  mode: AuthMode;
  oidc?: OidcClient;
  sessions: Sessions;
  people: People;
  sessionOf: (req: FastifyRequest) => ActiveSession | undefined;
}

/** `GET /api/auth/me` body. */
export interface MeResponse {
  mode: AuthMode;
  authenticated: boolean;
  principal: {
    type: Principal['type'];
    actor: string;
    userRef?: string;
    displayName?: string;
    roles: readonly string[];
    /** Group refs the person belongs to, transitively (lowercase). */
    groups: string[];
    email?: string;
    scopes?: readonly string[];
  };
  /** Session principals: echo it in `x-csrf-token` on every write. */
  csrfToken?: string;
}

/** The URL people reach Tarmac at: `config.baseUrl` (set by the app at start) without a trailing slash. */
export function baseUrlOf(config: TarmacConfig): string {
  return (config.baseUrl ?? defaultBaseUrl(config.host, config.port)).replace(/\/+$/, '');
}

/**
 * Registers `/login`, `/callback`, `/logout`, `/me` (mounted at `/api/auth`). Sign-ins, failed sign-ins and
 * sign-outs are audited (`auth.signin`, `auth.signout`); failures show a short page to browsers, JSON to others.
 */
export async function registerIdentityRoutes(app: FastifyInstance, d: IdentityRouteDeps): Promise<void> {
  const fail = async (req: FastifyRequest, reply: FastifyReply, err: unknown): Promise<FastifyReply> => {
    const te = isTarmacError(err) ? err : new TarmacError('UNAUTHENTICATED', `sign-in failed: ${errorMessage(err)}`);
    await d.audit.record({
      actor: 'anonymous', action: 'auth.signin', resource: `oidc:${d.config.auth.oidc?.issuer ?? 'none'}`,
      outcome: 'failure', requestId: String(req.id), ip: req.ip, summary: { reason: te.message },
    });
    d.logger.warn('sign-in failed', { reason: te.message, requestId: req.id });
    await d.sessions.end(reply, d.sessionOf(req)?.row);
    if (!(req.headers.accept ?? '').includes('text/html')) throw te;
    return reply.status(HTTP_STATUS_BY_CODE[te.code]).type('text/html; charset=utf-8').send(errorPage(te.message));
  };

  app.get<{ Querystring: { returnTo?: string } }>(
    '/login',
    {
      config: { auth: { public: true }, rateLimitAs: 'sign-in' },
      schema: {
        tags: TAG,
        summary: 'Start sign-in: redirects to the identity provider (authorization code + PKCE). returnTo: a local path.',
        querystring: { type: 'object', properties: { returnTo: { type: 'string' } } },
      },
    },
    async (req, reply) => {
      const returnTo = checkReturnTo(req.query.returnTo);
      if (d.mode === 'single-user' || !d.oidc) return reply.redirect(returnTo);
      const base = new URL(baseUrlOf(d.config));
      // The session cookie must be set on the host the provider will redirect back to: on a developer machine,
      // `localhost` and `127.0.0.1` are different cookie hosts. (Behind a proxy the Host header may legitimately
      // differ from baseUrl, so only loopback aliases are redirected — never in a loop.)
      const host = req.headers.host ?? '';
      if (host !== base.host && isLoopbackHost(host) && isLoopbackHost(base.host)) {
        return reply.redirect(`${base.origin}/api/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
      }
      try {
        const { url, pending } = await d.oidc.begin(`${base.origin}/api/auth/callback`, returnTo);
        await d.sessions.startPending(reply, pending, d.sessionOf(req)?.row);
        return reply.redirect(url.href);
      } catch (err) {
        return fail(req, reply, err);
      }
    },
  );

  app.get(
    '/callback',
    { config: { auth: { public: true }, rateLimitAs: 'sign-in' }, schema: { tags: TAG, summary: 'Where the identity provider returns to; starts the session.' } },
    async (req, reply) => {
      const pendingSession = d.sessionOf(req)?.row;
      try {
        if (!d.oidc) throw new TarmacError('NOT_FOUND', 'sign-in is off: Tarmac runs in single-user mode');
        const pending = pendingSession?.pending;
        if (!pendingSession || !pending) {
          throw new TarmacError('UNAUTHENTICATED', 'no sign-in in progress in this browser (it expired or cookies are blocked); start again');
        }
        const base = baseUrlOf(d.config);
        const search = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        const claims = await d.oidc.finish(new URL(`${base}/api/auth/callback${search}`), pending);
        const person = await d.people.findByClaims(claims, d.config.auth.oidc ?? { userMatch: 'email' });
        const displayName = person.displayName ?? (typeof claims.name === 'string' ? claims.name : undefined);
        const sessionId = await d.sessions.signIn(reply, { userRef: person.userRef, displayName, email: person.email }, pendingSession);
        await d.audit.record({
          actor: person.userRef, action: 'auth.signin', resource: person.userRef, outcome: 'success',
          requestId: String(req.id), ip: req.ip, summary: { sessionId, groups: person.groups.length },
        });
        d.logger.info('signed in', { userRef: person.userRef, sessionId });
        return reply.redirect(pending.returnTo);
      } catch (err) {
        return fail(req, reply, err);
      }
    },
  );

  app.post(
    '/logout',
    { config: { auth: { public: true } }, schema: { tags: TAG, summary: 'Sign out: ends the session server-side and clears the cookie.' } },
    async (req, reply) => {
      const row = d.sessionOf(req)?.row;
      await d.sessions.end(reply, row);
      if (row?.userRef) {
        await d.audit.record({
          actor: req.principal.actor, action: 'auth.signout', resource: row.userRef, outcome: 'success',
          requestId: String(req.id), ip: req.ip, summary: { sessionId: row.id },
        });
      }
      return reply.status(204).send();
    },
  );

  app.get(
    '/me',
    { config: { auth: { public: true } }, schema: { tags: TAG, summary: 'Who is calling: mode, principal, groups, and the CSRF token for writes.' } },
    async (req): Promise<MeResponse> => {
      const p = req.principal;
      const person = p.userRef ? await d.people.byRef(p.userRef) : undefined;
      const session = d.sessionOf(req);
      const email = session?.row.email ?? person?.email;
      return {
        mode: d.mode,
        authenticated: p.type !== 'anonymous',
        principal: {
          type: p.type,
          actor: p.actor,
          ...(p.userRef ? { userRef: p.userRef } : {}),
          ...(p.displayName ? { displayName: p.displayName } : {}),
          roles: p.roles,
          groups: person?.groups ?? [],
          ...(email ? { email } : {}),
          ...(p.scopes ? { scopes: p.scopes } : {}),
        },
        ...(p.type === 'user' && session ? { csrfToken: session.csrfToken } : {}),
      };
    },
  );
}

function errorPage(message: string): string {
  const text = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in failed · Tarmac</title></head><body>` +
    `<h1>Sign-in failed</h1><p data-testid="sign-in-error">${text}</p><p><a href="/api/auth/login">Try again</a> · <a href="/">Home</a></p></body></html>`;
}
