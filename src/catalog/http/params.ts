import { badRequest } from '../../core/errors.js';

/** Largest page any catalog list returns; bigger `limit` values are clamped (and the cursor continues). */
export const MAX_PAGE_SIZE = 1000;
/** Page size of `by-query` when `limit` is absent (Backstage's code default). */
export const DEFAULT_QUERY_LIMIT = 200;

/** A query parameter that may be repeated: always an array of strings (empty when absent). */
export function asArray(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** `fields=kind,metadata.name` or repeated `fields=`: the list of field paths, or undefined for all fields. */
export function parseFields(v: string | string[] | undefined): string[] | undefined {
  const fields = asArray(v)
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  return fields.length ? fields : undefined;
}

/** Clamps `limit` to 1…MAX_PAGE_SIZE. */
export function pageSize(limit: number | undefined, fallback = DEFAULT_QUERY_LIMIT): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`limit must be a non-negative integer, got ${limit}`);
  return Math.min(Math.max(limit, 1), MAX_PAGE_SIZE);
}

/**
 * Backstage sort directives: `orderField=metadata.name,asc` (by-query) or `order=asc:metadata.name` (GET /entities).
 * @throws TarmacError BAD_REQUEST on a malformed directive
 */
export function parseOrder(
  values: string[],
  style: 'field,order' | 'order:field',
): Array<{ field: string; order: 'asc' | 'desc' }> {
  return values.map((v) => {
    const [a, b] = style === 'field,order' ? v.split(',') : v.split(':').reverse();
    const field = a?.trim();
    const order = (b?.trim() || 'asc').toLowerCase();
    if (!field || (order !== 'asc' && order !== 'desc')) {
      throw badRequest(`invalid sort "${v}": expected ${style === 'field,order' ? 'field,asc|desc' : 'asc|desc:field'}`);
    }
    return { field, order };
  });
}

/** `totalItems=include|exclude|true|false` → boolean (default include). */
export function parseTotalItems(v: string | boolean | undefined): boolean {
  if (v === undefined) return true;
  if (typeof v === 'boolean') return v;
  return !['exclude', 'false', '0', 'no'].includes(v.toLowerCase());
}

/** JSON schema fragment for a query parameter that can be repeated. */
export const stringOrArray = { type: 'array', items: { type: 'string' } } as const;

/** JSON schema properties of the `limit` / `offset` pair every paginated route accepts. */
export const pageProps = {
  limit: { type: 'integer', minimum: 0 },
  offset: { type: 'integer', minimum: 0 },
} as const;
