/**
 * The catalog table's filters as they appear in the URL (`/catalog?kind=component&owner=team-a&q=…`), and how
 * they become a Backstage filter (`kind=component,spec.owner=team-a`: comma = AND, case-insensitive).
 */

/** URL parameter → the entity field it filters on. */
export const FILTER_FIELDS = {
  kind: 'kind',
  type: 'spec.type',
  owner: 'spec.owner',
  lifecycle: 'spec.lifecycle',
  tag: 'metadata.tags',
} as const;

/** A filter's URL parameter name: `kind`, `type`, `owner`, `lifecycle` or `tag`. */
export type FilterKey = keyof typeof FILTER_FIELDS;

/** All filter parameter names, in the order of `FILTER_FIELDS`. */
export const FILTER_KEYS = Object.keys(FILTER_FIELDS) as FilterKey[];

/**
 * One Backstage filter set from the URL's filter parameters, or `[]` when none is set.
 * Commas inside a value cannot be expressed in the filter syntax, so they are dropped.
 */
export function filterFromParams(params: URLSearchParams, only: readonly FilterKey[] = FILTER_KEYS): string[] {
  const parts = only
    .map((key) => [FILTER_FIELDS[key], params.get(key)?.replace(/,/g, '').trim()] as const)
    .filter(([, value]) => value)
    .map(([field, value]) => `${field}=${value ?? ''}`);
  return parts.length ? [parts.join(',')] : [];
}

/** A copy of `params` with `key` set (or removed when empty) and paging reset. */
export function withParam(params: URLSearchParams, key: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(key, value);
  else next.delete(key);
  next.delete('cursor');
  next.delete('page');
  return next;
}
