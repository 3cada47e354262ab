/**
 * The portal's typed client for Tarmac's HTTP API (`/api/catalog`, Backstage-compatible plus Tarmac's extensions,
 * see docs/catalog-design.md "HTTP API used by the portal"). Every list call is paginated: the portal never asks
 * for the whole catalog.
 */

import type { CatalogError, CatalogSummary, Entity, EntityPage, LocationStatus, OffsetPage, RefLookup, SearchHit } from './api-types.js';

export type * from './api-types.js';

/** A failed call. `status` 0 means the API could not be reached at all. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const BASE = '/api/catalog';

type Params = Record<string, string | number | readonly string[] | undefined | null>;

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

async function request<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
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
    const e = (body as { error?: { message?: string; code?: string } } | undefined)?.error;
    throw new ApiError(e?.message ?? `${res.status} ${res.statusText}`, res.status, e?.code);
  }
  return body as T;
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

function enc(part: string): string {
  return encodeURIComponent(part);
}
