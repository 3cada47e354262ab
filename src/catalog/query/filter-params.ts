import { badRequest } from '../../core/errors.js';
import type { FilterNode } from './ast.js';
import { allOf, anyOf, checkFilterSize, filterPath, filterValue, leafNode } from './ast.js';

/**
 * Parses Backstage's GET filter syntax (`/entities?filter=kind=component,spec.type=service&filter=kind=api`)
 * into a `FilterNode`. Source: Backstage `plugins/catalog-backend/src/service/request/parseEntityFilterParams.ts`.
 *
 * - repeated `filter` parameters are ORed; comma-separated conditions inside one are ANDed;
 * - a condition is `key` (the field exists), `key=` (the field equals the empty string) or `key=value`; the value is
 *   everything after the first `=` (it may contain more `=`), trimmed;
 * - the same key twice in one filter means "any of these values" (`kind=api,kind=component`);
 * - keys are dot paths through objects and arrays (`metadata.tags=java`, `metadata.tags.java`,
 *   `spec.providesApis=api:default/x`); `relations.<type>=<ref>` matches outgoing relations;
 * - keys and values compare case-insensitively.
 *
 * @param filter the raw `filter` query parameter(s)
 * @returns the filter, or undefined when none was given (or all were empty)
 * @throws TarmacError BAD_REQUEST on a condition without a key, an invalid key, or a filter over the size limits
 */
export function parseFilterParams(filter: string | string[] | undefined): FilterNode | undefined {
  if (filter === undefined) return undefined;
  const strings = Array.isArray(filter) ? filter : [filter];
  const sets: FilterNode[] = [];
  for (const s of strings) {
    if (typeof s !== 'string') throw badRequest('filter: each filter parameter must be a string');
    const set = parseFilterString(s);
    if (set) sets.push(set);
  }
  if (sets.length === 0) return undefined;
  const node = anyOf(sets);
  checkFilterSize(node);
  return node;
}

/** One `filter=` value: comma-separated conditions, ANDed. Undefined when it holds no condition. */
function parseFilterString(s: string): FilterNode | undefined {
  const statements = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (statements.length === 0) return undefined;
  const byPath = new Map<string, string[] | undefined>();
  for (const statement of statements) {
    const eq = statement.indexOf('=');
    const rawKey = (eq === -1 ? statement : statement.slice(0, eq)).trim();
    if (!rawKey) {
      throw badRequest(`filter "${s}": "${statement}" is not a valid condition (expected key, key= or key=value)`);
    }
    const path = filterPath(rawKey, `filter "${s}"`);
    if (!byPath.has(path)) byPath.set(path, undefined);
    if (eq !== -1) {
      const value = filterValue(statement.slice(eq + 1).trim(), `filter "${s}"`);
      const values = byPath.get(path) ?? [];
      if (!values.includes(value)) values.push(value);
      byPath.set(path, values);
    }
  }
  return allOf([...byPath].map(([path, values]) => leafNode(path, values)));
}
