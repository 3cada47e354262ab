/**
 * The portal's typed client for Tarmac's HTTP API (`/api/catalog`, Backstage-compatible plus Tarmac's extensions,
 * see docs/catalog-design.md "HTTP API used by the portal"). Every list call is paginated: the portal never asks
 * for the whole catalog.
 */

import type { CatalogError, CatalogSummary, Entity, EntityPage, LocationStatus, OffsetPage, RefLookup, SearchHit } from './api-types.js';

export type * from './api-types.js';

/** One problem with one field of a request (`error.details[]` of a 400 VALIDATION_FAILED), e.g. `{ path: '/name', message }`. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** A failed call. `status` 0 means the API could not be reached at all; `details` are the server's `error.details`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The field problems of a VALIDATION_FAILED answer (`details: [{ path, message }]`); [] otherwise. */
  get fieldProblems(): FieldProblem[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldProblem => typeof d === 'object' && d !== null && typeof (d as FieldProblem).message === 'string',
    ).map((d) => ({ path: typeof d.path === 'string' ? d.path : '', message: d.message }));
  }
}

const BASE = '/api/catalog';

/** Fired on `window` when any API call answers 401: the session shows a sign-in prompt (OIDC mode). */
export const UNAUTHENTICATED_EVENT = 'tarmac:unauthenticated';

let csrfToken: string | undefined;

/**
 * Sets the CSRF token (from `GET /api/auth/me`) that every non-GET request sends as `x-csrf-token`
 * (docs/auth.md: cookie-authenticated writes need it). Called once by the session provider.
 */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

type Params = Record<string, string | number | boolean | readonly string[] | undefined | null>;

/** Builds `?a=1&filter=x&filter=y`, skipping empty values; arrays repeat the key. */
export function queryString(params: Params): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'object') value.forEach((v) => q.append(key, v));
    else q.append(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Options of one API call. */
export interface CallOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Calls Tarmac's API at `url` (absolute path such as `/api/audit/events`) with same-origin cookies, the CSRF header on
 * writes, and JSON in/out. A 401 also fires `UNAUTHENTICATED_EVENT`.
 * @throws ApiError with the server's `{ error: { code, message, details } }`, status 0 when unreachable
 */
export async function apiRequest<T>(url: string, init: CallOptions = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('Cannot reach the Tarmac API. Is the server running?', 0);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    if (res.status === 401) window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
    const e = (body as { error?: { message?: string; code?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(e?.message ?? `${res.status} ${res.statusText}`, res.status, e?.code, e?.details);
  }
  return body as T;
}

function request<T>(path: string, init: CallOptions = {}): Promise<T> {
  return apiRequest<T>(BASE + path, init);
}

/** Fields the catalog table asks for (Backstage `fields=`). */
export const TABLE_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
  'spec.type',
  'spec.owner',
  'spec.lifecycle',
];

/** Options of `GET /entities/by-query`. With `cursor`, the server ignores filter, order and term. */
export interface EntityQuery {
  filter?: string[];
  fields?: string[];
  limit?: number;
  orderField?: string;
  fullTextFilterTerm?: string;
  cursor?: string;
}

/** The catalog's HTTP API, one function per route. Each takes an optional AbortSignal. */
export const api = {
  /** `GET /summary` */
  summary: (signal?: AbortSignal) => request<CatalogSummary>('/summary', { signal }),

  /** `GET /entities/by-query?filter=…&fields=…&limit=…&orderField=…&fullTextFilterTerm=…&cursor=…` */
  queryEntities: (q: EntityQuery, signal?: AbortSignal) =>
    request<EntityPage>(
      `/entities/by-query${queryString(
        q.cursor
          ? { cursor: q.cursor, limit: q.limit, fields: q.fields?.join(',') }
          : {
              filter: q.filter,
              fields: q.fields?.join(','),
              limit: q.limit,
              orderField: q.orderField,
              fullTextFilterTerm: q.fullTextFilterTerm?.trim(),
            },
      )}`,
      { signal },
    ),

  /** `GET /entity-facets?facet=…&filter=…` → `{facets: {<facet>: [{value, count}]}}` */
  facets: (facets: string[], filter: string[] = [], signal?: AbortSignal) =>
    request<{ facets: Record<string, { value: string; count: number }[]> }>(
      `/entity-facets${queryString({ facet: facets, filter })}`,
      { signal },
    ),

  /** `GET /entities/by-name/:kind/:namespace/:name` (404 when absent) */
  entityByName: (kind: string, namespace: string, name: string, signal?: AbortSignal) =>
    request<Entity>(`/entities/by-name/${enc(kind)}/${enc(namespace)}/${enc(name)}`, { signal }),

  /** `GET /entities/by-name/:kind/:namespace/:name/source` → the YAML document as read */
  entitySource: (kind: string, namespace: string, name: string, signal?: AbortSignal) =>
    request<{ file: string | null; line: number | null; text: string | null }>(
      `/entities/by-name/${enc(kind)}/${enc(namespace)}/${enc(name)}/source`,
      { signal },
    ),

  /** `POST /entities/by-refs` → `{items}` in request order, `null` for refs not in the catalog */
  entitiesByRefs: (entityRefs: string[], fields: string[], signal?: AbortSignal) =>
    request<{ items: RefLookup }>('/entities/by-refs', { method: 'POST', body: { entityRefs, fields }, signal }),

  /** `GET /errors?locationId=&entityRef=&limit=&offset=` */
  errors: (q: { locationId?: string; entityRef?: string; limit: number; offset: number }, signal?: AbortSignal) =>
    request<OffsetPage<CatalogError>>(`/errors${queryString(q)}`, { signal }),

  /** `GET /location-status?limit=&offset=` */
  locationStatus: (q: { limit: number; offset: number }, signal?: AbortSignal) =>
    request<OffsetPage<LocationStatus>>(`/location-status${queryString(q)}`, { signal }),

  /** Asks the server to re-read one location now: `POST /locations/:id/refresh`. */
  refreshLocation: (id: string) => request<unknown>(`/locations/${enc(id)}/refresh`, { method: 'POST', body: {} }),

  /** `GET /search?term=&limit=&offset=&kind=` → ranked hits */
  search: (q: { term: string; limit: number; offset: number; kind?: string }, signal?: AbortSignal) =>
    request<OffsetPage<SearchHit>>(`/search${queryString(q)}`, { signal }),
};

/** `encodeURIComponent`, for one path segment. */
export function enc(part: string): string {
  return encodeURIComponent(part);
}
