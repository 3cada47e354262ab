/**
 * The portal's client for sign-in, API tokens and the audit log (`/api/auth`, `/api/audit`; docs/auth.md and
 * docs/audit.md describe the routes). Errors are `ApiError`s as for the catalog.
 */
import type { CreatedToken as ServerCreatedToken, MeResponse, TokenInfo as ServerTokenInfo } from '../../src/auth/index.js';
import type { AuditEvent as ServerAuditEvent, VerifyResult } from '../../src/audit/index.js';
import { apiRequest, enc, queryString } from './api.js';

/** `GET /api/auth/me`: who the portal is talking as (the server's type). `csrfToken` is absent without a session cookie. */
export type Me = MeResponse;
/** An API token as listed (never its secret); the server's type. */
export type TokenInfo = ServerTokenInfo;
/** What `POST /api/auth/tokens` answers: listing info plus the secret `token`, returned this once only. */
export type CreatedToken = ServerCreatedToken;
/** One audit event (hash-chained: `prevHash` is the previous event's `hash`, SHA-256 hex); the server's type. */
export type AuditEvent = ServerAuditEvent;

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

/** `GET /api/audit/verify`: `ok` false names the first broken link (the server's type). */
export type ChainCheck = VerifyResult;

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
    apiRequest<{ items: AuditEvent[]; nextCursor?: string | null; totalItems?: number }>(`/api/audit/events${queryString({ ...q })}`, { signal }),
  verifyAudit: () => apiRequest<ChainCheck>('/api/audit/verify'),
  /** The download link of a time range as JSON Lines. */
  auditExportUrl: (q: { from?: string; to?: string }) => `/api/audit/export${queryString(q)}`,
};
