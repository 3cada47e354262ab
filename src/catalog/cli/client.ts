import type { ErrorItem } from '../storage/index.js';
import { ApiClient, DEFAULT_TIMEOUT_MS, tokenFor, type ErrorBodyLike, type Query } from '../../core/api-client.js';
import type { Entity } from '../model/entity.js';
import type { ApplySummary, LocationRecord } from '../storage/types.js';

/** Default timeout of one API request, in ms. */
export { DEFAULT_TIMEOUT_MS };

/** A location as `POST /locations` takes it. */
export interface LocationInput {
  type: 'file' | 'url' | 'git';
  target: string;
  branch?: string;
  path?: string;
}

/** `GET /locations/:id`: Backstage `{ id, type, target }` plus Tarmac's `status`. */
export interface LocationWithStatus {
  id: string;
  type: string;
  target: string;
  status: LocationRecord;
}

/** One row of `GET /errors` (storage's `ErrorItem`). */
export type CatalogErrorItem = ErrorItem;

/** A page of `GET /entities/by-query`. */
export interface QueryPage {
  items: Entity[];
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

/**
 * A small client for the catalog API at `<baseUrl>/api/catalog`, for the CLI: a thin user of the shared
 * `ApiClient` (src/core/api-client.ts), which maps every failure to a `TarmacError` ready to print after `tarmac: `:
 * - an error body `{ error: { code, message } }` → `<message> (<code>)`, with the same code when it is known;
 * - connection refused / unknown host → NOT_READY `cannot reach Tarmac at <url> — is it running? (`npm start`)`;
 * - no answer within `timeoutMs` → UPSTREAM_FAILED.
 * The bearer token is `opts.token`, else `TARMAC_TOKEN`, else the one `tarmac login` saved for `baseUrl`.
 */
export class CatalogClient {
  readonly baseUrl: string;
  private readonly api: ApiClient;

  constructor(baseUrl: string, opts: { timeoutMs?: number; token?: string } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.api = new ApiClient(this.baseUrl, { timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, token: opts.token ?? tokenFor(this.baseUrl) });
  }

  /**
   * One request to `/api/catalog<path>`. Statuses in `accept` (besides 2xx) are returned instead of thrown.
   * @returns status and parsed JSON body (undefined when empty)
   */
  async request<T>(
    method: 'GET' | 'POST',
    path: string,
    opts: { query?: Query; body?: unknown; accept?: number[]; timeoutMs?: number } = {},
  ): Promise<{ status: number; body: T }> {
    return this.api.request<T>(method, `/api/catalog${path}`, opts);
  }

  /** `GET /entities/by-name/:kind/:namespace/:name` → the entity (with relations and status), or undefined on 404. */
  async getEntityByName(kind: string, namespace: string, name: string): Promise<Entity | undefined> {
    const path = `/entities/by-name/${[kind, namespace, name].map(encodeURIComponent).join('/')}`;
    const res = await this.request<Entity>('GET', path, { accept: [404] });
    return res.status === 404 ? undefined : res.body;
  }

  /** `GET /entities/by-query?filter=…&limit=…&fields=…&cursor=…` (repeated filters are OR). */
  async queryEntities(q: { filter?: readonly string[]; limit?: number; fields?: readonly string[]; cursor?: string }): Promise<QueryPage> {
    const query: Query = q.cursor
      ? { cursor: q.cursor, limit: q.limit, fields: q.fields?.join(',') || undefined }
      : { filter: q.filter, limit: q.limit, fields: q.fields?.join(',') || undefined };
    return (await this.request<QueryPage>('GET', '/entities/by-query', { query })).body;
  }

  /** `POST /locations?wait=false` → 201/202 `{ location: { id, type, target } }`, or the 409 error body. */
  async addLocation(input: LocationInput): Promise<{ status: number; body: { location?: { id: string; type: string; target: string } } & ErrorBodyLike }> {
    return this.request('POST', '/locations', { query: { wait: false }, body: input, accept: [409] });
  }

  /** `GET /locations?limit&offset` (Backstage shape) → `[{ data: { id, type, target } }]`. */
  async listLocations(limit: number, offset: number): Promise<Array<{ data: { id: string; type: string; target: string } }>> {
    return (await this.request<Array<{ data: { id: string; type: string; target: string } }>>('GET', '/locations', { query: { limit, offset } })).body;
  }

  /** `GET /locations/:id` → `{ id, type, target, status }`. */
  async getLocation(id: string): Promise<LocationWithStatus> {
    return (await this.request<LocationWithStatus>('GET', `/locations/${encodeURIComponent(id)}`)).body;
  }

  /** `POST /locations/:id/refresh` → `{ summary }` once the re-read is done (may take as long as an import). */
  async refreshLocation(id: string, timeoutMs: number): Promise<{ summary?: ApplySummary }> {
    return (await this.request<{ summary?: ApplySummary }>('POST', `/locations/${encodeURIComponent(id)}/refresh`, { timeoutMs })).body;
  }

  /** `GET /errors?locationId=&limit=` → `{ items, totalItems }`. */
  async listErrors(locationId: string, limit: number): Promise<{ items: CatalogErrorItem[]; totalItems: number }> {
    return (await this.request<{ items: CatalogErrorItem[]; totalItems: number }>('GET', '/errors', { query: { locationId, limit } })).body;
  }
}

/** The error body routes send: `{ error: { code, message, details? } }`. */
export type { ErrorBodyLike } from '../../core/api-client.js';
