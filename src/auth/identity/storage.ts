import type { Migration, Queryable } from '../../core/db/index.js';

/**
 * The sessions table. Only this file reads or writes it.
 * - `id`: random, public (audit log, `Principal.sessionId`); the cookie carries `<id>.<secret>`.
 * - `secret_hash`, `csrf_hash`: SHA-256 (hex) of the session secret and of its CSRF token; neither is stored.
 * - `user_ref` NULL marks a pre-login session: it holds the OIDC state, nonce and PKCE verifier (`pending`) between
 *   `/login` and `/callback` and is replaced by a new session on success (rotation).
 */
export const sessionMigrations: readonly Migration[] = [
  {
    id: 'auth/sessions_001_init',
    sql: `
CREATE TABLE auth_sessions (
  id text PRIMARY KEY,
  secret_hash text NOT NULL,
  csrf_hash text NOT NULL,
  user_ref text,
  display_name text,
  email text,
  pending jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX auth_sessions_expires ON auth_sessions (expires_at);
`,
  },
];

/** The OIDC request parameters kept between `/login` and `/callback`. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Local path to land on after sign-in. */
  returnTo: string;
}

/** A stored session row. */
export interface SessionRow {
  id: string;
  secretHash: string;
  csrfHash: string;
  userRef: string | null;
  displayName: string | null;
  email: string | null;
  pending: PendingSignIn | null;
  expiresAt: Date;
}

interface RawRow {
  id: string;
  secret_hash: string;
  csrf_hash: string;
  user_ref: string | null;
  display_name: string | null;
  email: string | null;
  pending: PendingSignIn | string | null;
  expires_at: Date;
}

function toRow(r: RawRow): SessionRow {
  const pending = typeof r.pending === 'string' ? (JSON.parse(r.pending) as PendingSignIn) : r.pending;
  return {
    id: r.id,
    secretHash: r.secret_hash,
    csrfHash: r.csrf_hash,
    userRef: r.user_ref,
    displayName: r.display_name,
    email: r.email,
    pending,
    expiresAt: new Date(r.expires_at),
  };
}

/** SQL over `auth_sessions`. */
export interface SessionStore {
  insert(row: Omit<SessionRow, 'expiresAt'> & { ttlSeconds: number }): Promise<void>;
  /** The session with this id when it has not expired. */
  get(id: string): Promise<SessionRow | undefined>;
  delete(id: string): Promise<boolean>;
  /** Deletes expired sessions. @returns how many */
  sweep(): Promise<number>;
}

/** Builds the session store on a database. */
export function createSessionStore(db: Queryable): SessionStore {
  return {
    insert: async (r) => {
      await db.query(
        `INSERT INTO auth_sessions (id, secret_hash, csrf_hash, user_ref, display_name, email, pending, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, now() + make_interval(secs => $8))`,
        [r.id, r.secretHash, r.csrfHash, r.userRef, r.displayName, r.email, r.pending ? JSON.stringify(r.pending) : null, r.ttlSeconds],
      );
    },
    get: async (id) => {
      const rows = await db.query<RawRow>('SELECT * FROM auth_sessions WHERE id = $1 AND expires_at > now()', [id]);
      return rows[0] ? toRow(rows[0]) : undefined;
    },
    delete: async (id) => (await db.query('DELETE FROM auth_sessions WHERE id = $1 RETURNING id', [id])).length > 0,
    sweep: async () => (await db.query('DELETE FROM auth_sessions WHERE expires_at <= now() RETURNING id')).length,
  };
}
