/**
 * The portal's client for sign-in, API tokens and the audit log (`/api/auth`, `/api/audit`; docs/auth.md and
 * docs/audit.md describe the routes). Errors are `ApiError`s as for the catalog.
 */
import { apiRequest, enc, queryString } from './api.js';

/** `GET /api/auth/me`: who the portal is talking as. `csrfToken` is absent when no session cookie is used. */
export interface Me {
  mode: 'oidc' | 'single-user';
  authenticated: boolean;
  principal: {
    type: 'user' | 'token' | 'local' | 'anonymous';
    actor: string;
    userRef?: string;
    displayName?: string;
    roles: string[];
    /** Group refs the person belongs to (transitively), e.g. `group:default/team-a`. */
    groups: string[];
    email?: string;
  };
  csrfToken?: string;
}

/** An API token as listed (never its secret). Times are ISO strings; `null` when not (yet) set. */
export interface TokenInfo {
  id: string;
  name: string;
  userRef: string | null;
  scopes: string[];
  ownedOnly: boolean;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** What `POST /api/auth/tokens` answers: the secret `token`, returned this once only. */
export interface CreatedToken {
  id: string;
  token: string;
  name: string;
  scopes: string[];
  expiresAt: string | null;
}

/** One audit event (hash-chained: `prevHash` is the previous event's `hash`, SHA-256 hex). */
export interface AuditEvent {
  seq: number;
  id: string;
  time: string;
  actor: string;
  action: string;
  resource: string;
  outcome: 'success' | 'failure' | 'denied';
  requestId: string | null;
  ip: string | null;
  summary: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

/** Filters of `GET /api/audit/events`; `from`/`to` are ISO times, `after` the cursor of the next page. */
export interface AuditQuery {
  actor?: string;
  action?: string;
  resource?: string;
  outcome?: string;
  from?: string;
  to?: string;
  limit?: number;
  after?: string;
}

/** `GET /api/audit/verify`: `ok` false names the first broken link. */
export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; id: string; reason: string };
}

/** Sign-in, tokens and audit routes, one function each. */
export const trustApi = {
  me: (signal?: AbortSignal) => apiRequest<Me>('/api/auth/me', { signal }),
  logout: () => apiRequest<unknown>('/api/auth/logout', { method: 'POST', body: {} }),
  /** The URL a full-page navigation goes to for sign-in; the server returns to `returnTo` afterwards. */
  loginUrl: (returnTo: string) => `/api/auth/login${queryString({ returnTo })}`,

  listTokens: (signal?: AbortSignal) => apiRequest<{ items: TokenInfo[] }>('/api/auth/tokens', { signal }),
  createToken: (body: { name: string; scopes: string[]; ownedOnly: boolean; expiresInDays: number }) =>
    apiRequest<CreatedToken>('/api/auth/tokens', { method: 'POST', body }),
  revokeToken: (id: string) => apiRequest<unknown>(`/api/auth/tokens/${enc(id)}`, { method: 'DELETE' }),

  auditEvents: (q: AuditQuery, signal?: AbortSignal) =>
    apiRequest<{ items: AuditEvent[]; nextCursor?: string | null; totalItems: number }>(`/api/audit/events${queryString({ ...q })}`, { signal }),
  verifyAudit: () => apiRequest<ChainCheck>('/api/audit/verify'),
  /** The download link of a time range as JSON Lines. */
  auditExportUrl: (q: { from?: string; to?: string }) => `/api/audit/export${queryString(q)}`,
};
