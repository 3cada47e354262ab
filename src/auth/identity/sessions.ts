import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PendingSignIn, SessionRow, SessionStore } from './storage.js';
import { csrfTokenFor, matchesHash, randomId, randomSecret, sha256Hex } from './secrets.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'tarmac_session';
/** Lifetime of a pre-login session (between `/login` and `/callback`), in seconds. */
export const PENDING_TTL_SECONDS = 600;

/** A session found from a request's cookie, with the secret-derived CSRF token. */
export interface ActiveSession {
  row: SessionRow;
  /** The CSRF token the client must echo in `x-csrf-token` on writes. */
  csrfToken: string;
}

/** Who a new signed-in session belongs to. */
export interface SessionPerson {
  userRef: string;
  displayName?: string;
  email?: string;
}

/**
 * Sessions over the store, and the cookie that carries them: `tarmac_session=<id>.<secret>`, HttpOnly,
 * SameSite=Lax, Path=/, Secure when the base URL is https (OWASP Session Management Cheat Sheet).
 */
export class Sessions {
  constructor(
    private readonly store: SessionStore,
    private readonly opts: { ttlSeconds: number; secure: () => boolean },
  ) {}

  /** The live session named by the request's cookie, or undefined (no cookie, malformed, unknown, expired). */
  async fromRequest(req: FastifyRequest): Promise<ActiveSession | undefined> {
    const value = readCookie(req, SESSION_COOKIE);
    const dot = value?.indexOf('.') ?? -1;
    if (!value || dot <= 0) return undefined;
    const id = value.slice(0, dot);
    const secret = value.slice(dot + 1);
    if (!/^[0-9a-f]{32}$/.test(id) || secret.length < 20) return undefined;
    const row = await this.store.get(id);
    if (!row || !matchesHash(secret, row.secretHash)) return undefined;
    return { row, csrfToken: csrfTokenFor(secret) };
  }

  /** Starts a pre-login session holding the OIDC request, sets its cookie; ends `previous` (rotation). */
  async startPending(reply: FastifyReply, pending: PendingSignIn, previous?: SessionRow): Promise<void> {
    if (previous) await this.store.delete(previous.id);
    const secret = await this.insert({ userRef: null, displayName: null, email: null, pending }, PENDING_TTL_SECONDS);
    this.setCookie(reply, secret, PENDING_TTL_SECONDS);
  }

  /** Creates a signed-in session with a new id and secret, sets its cookie, and ends `previous` (rotation). */
  async signIn(reply: FastifyReply, person: SessionPerson, previous?: SessionRow): Promise<string> {
    if (previous) await this.store.delete(previous.id);
    const value = await this.insert(
      { userRef: person.userRef, displayName: person.displayName ?? null, email: person.email ?? null, pending: null },
      this.opts.ttlSeconds,
    );
    this.setCookie(reply, value, this.opts.ttlSeconds);
    return value.slice(0, value.indexOf('.'));
  }

  /** Ends a session server-side and clears the cookie. */
  async end(reply: FastifyReply, row: SessionRow | undefined): Promise<void> {
    if (row) await this.store.delete(row.id);
    void reply.header('set-cookie', fastifyCookie.serialize(SESSION_COOKIE, '', { ...this.cookieOptions(), maxAge: 0 }));
  }

  /** Deletes expired sessions. @returns how many */
  sweep(): Promise<number> {
    return this.store.sweep();
  }

  private async insert(fields: Pick<SessionRow, 'userRef' | 'displayName' | 'email' | 'pending'>, ttlSeconds: number): Promise<string> {
    const id = randomId(16);
    const secret = randomSecret(32);
    await this.store.insert({ id, secretHash: sha256Hex(secret), csrfHash: sha256Hex(csrfTokenFor(secret)), ...fields, ttlSeconds });
    return `${id}.${secret}`;
  }

  private setCookie(reply: FastifyReply, value: string, maxAgeSeconds: number): void {
    void reply.header('set-cookie', fastifyCookie.serialize(SESSION_COOKIE, value, { ...this.cookieOptions(), maxAge: Math.floor(maxAgeSeconds) }));
  }

  private cookieOptions(): { httpOnly: true; sameSite: 'lax'; path: string; secure: boolean } {
    return { httpOnly: true, sameSite: 'lax', path: '/', secure: this.opts.secure() };
  }
}

/** One cookie's value from the request's `Cookie` header (parsed with @fastify/cookie's parser). */
export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return fastifyCookie.parse(header)[name];
}
