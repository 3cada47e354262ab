import type { Migration, Queryable } from '../../core/db/index.js';

/**
 * The API tokens table. Only this file reads or writes it. `secret_hash` is the SHA-256 (hex) of the token's secret
 * part; the secret itself is shown once at creation and never stored.
 */
export const tokenMigrations: readonly Migration[] = [
  {
    id: 'auth/tokens_001_init',
    sql: `
CREATE TABLE auth_tokens (
  id text PRIMARY KEY,
  name text NOT NULL,
  user_ref text,
  created_by text NOT NULL,
  scopes text[] NOT NULL,
  owned_only boolean NOT NULL DEFAULT false,
  secret_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_ref);
`,
  },
];

/** A token as stored (without its secret hash) and as listed by the API. */
export interface TokenInfo {
  id: string;
  name: string;
  /** The User the token acts for (lowercase ref); null for tokens made in single-user mode. */
  userRef: string | null;
  /** Actor that created it (`user:default/jane`, `local`, `token:<id>`). */
  createdBy: string;
  scopes: string[];
  ownedOnly: boolean;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface RawRow {
  id: string;
  name: string;
  user_ref: string | null;
  created_by: string;
  scopes: string[];
  owned_only: boolean;
  secret_hash: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

function toInfo(r: RawRow): TokenInfo {
  return {
    id: r.id,
    name: r.name,
    userRef: r.user_ref,
    createdBy: r.created_by,
    scopes: r.scopes,
    ownedOnly: r.owned_only,
    createdAt: iso(r.created_at) as string,
    expiresAt: iso(r.expires_at) as string,
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  };
}

/** Most tokens one listing returns. */
export const MAX_TOKENS_LISTED = 500;

/** SQL over `auth_tokens`. */
export interface TokenStore {
  insert(t: { id: string; name: string; userRef: string | null; createdBy: string; scopes: string[]; ownedOnly: boolean; secretHash: string; expiresInSeconds: number }): Promise<TokenInfo>;
  /** A token usable now (not revoked, not expired) with its secret hash. */
  findUsable(id: string): Promise<{ info: TokenInfo; secretHash: string } | undefined>;
  get(id: string): Promise<TokenInfo | undefined>;
  /** Tokens of one User (or all when `userRef` is undefined), newest first, at most `MAX_TOKENS_LISTED`. */
  list(userRef?: string): Promise<TokenInfo[]>;
  /** Marks a token revoked. @returns false when it does not exist or already was */
  revoke(id: string): Promise<boolean>;
  touch(id: string): Promise<void>;
}

/** Builds the token store on a database. */
export function createTokenStore(db: Queryable): TokenStore {
  return {
    insert: async (t) => {
      const rows = await db.query<RawRow>(
        `INSERT INTO auth_tokens (id, name, user_ref, created_by, scopes, owned_only, secret_hash, expires_at)
         VALUES ($1, $2, $3, $4, $5::text[], $6, $7, now() + make_interval(secs => $8)) RETURNING *`,
        [t.id, t.name, t.userRef, t.createdBy, t.scopes, t.ownedOnly, t.secretHash, t.expiresInSeconds],
      );
      return toInfo(rows[0] as RawRow);
    },
    findUsable: async (id) => {
      const rows = await db.query<RawRow>(
        'SELECT * FROM auth_tokens WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()',
        [id],
      );
      return rows[0] ? { info: toInfo(rows[0]), secretHash: rows[0].secret_hash } : undefined;
    },
    get: async (id) => {
      const rows = await db.query<RawRow>('SELECT * FROM auth_tokens WHERE id = $1', [id]);
      return rows[0] ? toInfo(rows[0]) : undefined;
    },
    list: async (userRef) => {
      const rows = userRef === undefined
        ? await db.query<RawRow>('SELECT * FROM auth_tokens ORDER BY created_at DESC, id LIMIT $1', [MAX_TOKENS_LISTED])
        : await db.query<RawRow>('SELECT * FROM auth_tokens WHERE user_ref = $1 ORDER BY created_at DESC, id LIMIT $2', [userRef, MAX_TOKENS_LISTED]);
      return rows.map(toInfo);
    },
    revoke: async (id) =>
      (await db.query('UPDATE auth_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id])).length > 0,
    touch: async (id) => {
      await db.query('UPDATE auth_tokens SET last_used_at = now() WHERE id = $1', [id]);
    },
  };
}
