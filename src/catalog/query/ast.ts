import { badRequest } from '../../core/errors.js';

/**
 * The catalog's filter AST, produced by `parseFilterParams` (Backstage GET `filter=` syntax) and
 * `parsePredicateQuery` (Backstage POST predicate), compiled to SQL by `compileFilter` (sql.ts).
 *
 * Paths are lowercase dot paths (`spec.type`, `metadata.tags.java`, `metadata.annotations.backstage.io/x`);
 * values are lowercase strings. Matching follows Backstage's search table (see docs/catalog-design.md
 * "Search keys"): case-insensitive, descending through arrays.
 *
 * - `all` — every child matches (an empty list matches everything);
 * - `any` — at least one child matches (an empty list matches nothing);
 * - `not` — the child does not match;
 * - `exists` — the entity has the path (with any value, even null);
 * - `in` — the path has one of `values` (equality when there is one value);
 * - `prefix` — the path has a value starting with `prefix`;
 * - `relation` — the entity has an outgoing relation (of `type`, lowercase, when given) whose target ref is in
 *   `targets` / starts with `prefix` (any target when neither is given).
 */
export type FilterNode =
  | { op: 'all'; nodes: FilterNode[] }
  | { op: 'any'; nodes: FilterNode[] }
  | { op: 'not'; node: FilterNode }
  | { op: 'exists'; path: string }
  | { op: 'in'; path: string; values: string[] }
  | { op: 'prefix'; path: string; prefix: string }
  | { op: 'relation'; type?: string; targets?: string[]; prefix?: string };

/** Longest accepted field path, in characters (Backstage does not index longer keys either). */
export const MAX_PATH_LENGTH = 200;
/** Longest accepted filter value, in characters (values over 200 are never indexed, so they match nothing). */
export const MAX_VALUE_LENGTH = 1024;
/** Most leaf conditions one filter may hold. */
export const MAX_FILTER_CONDITIONS = 200;
/** Deepest nesting of `$all` / `$any` / `$not` / `$contains`. */
export const MAX_FILTER_DEPTH = 16;

// Letters, digits and the punctuation found in entity keys, annotation/label keys and tags.
const PATH_RE = /^[\p{L}\p{N}_\-/:+#@~]+(\.[\p{L}\p{N}_\-/:+#@~]+)*$/u;

/**
 * Checks a field path used in a filter, order, facet, full-text or fields list and returns it unchanged.
 * Allowed: dot-separated segments of letters, digits and `_ - / : + # @ ~`, at most `MAX_PATH_LENGTH` characters.
 * @param where names the input for the error message (e.g. `filter "kind=x"`, `orderField`)
 * @throws TarmacError BAD_REQUEST naming the path and `where`
 */
export function checkFieldPath(path: unknown, where: string): string {
  if (typeof path !== 'string' || path.length === 0) throw badRequest(`${where}: a field path must be a non-empty string`);
  if (path.length > MAX_PATH_LENGTH) {
    throw badRequest(`${where}: field path "${path.slice(0, 40)}…" is longer than ${MAX_PATH_LENGTH} characters`);
  }
  if (!PATH_RE.test(path)) {
    throw badRequest(
      `${where}: invalid field path "${path}" (expected dot-separated segments of letters, digits and _-/:+#@~)`,
    );
  }
  return path;
}

/** `checkFieldPath`, then lowercased (filters compare paths case-insensitively). */
export function filterPath(path: unknown, where: string): string {
  return checkFieldPath(path, where).toLowerCase();
}

/**
 * Checks a filter value and returns it lowercased.
 * @throws TarmacError BAD_REQUEST when longer than `MAX_VALUE_LENGTH`
 */
export function filterValue(value: string, where: string): string {
  if (value.length > MAX_VALUE_LENGTH) throw badRequest(`${where}: value is longer than ${MAX_VALUE_LENGTH} characters`);
  return value.toLowerCase();
}

/**
 * A leaf on `path`: `relations.<type>` paths become `relation` nodes (Backstage `relations.ownedby=group:default/a`),
 * others `in` (values given) or `exists` (no values).
 */
export function leafNode(path: string, values: string[] | undefined): FilterNode {
  if (path === 'relations' || path.startsWith('relations.')) {
    const type = path === 'relations' ? undefined : path.slice('relations.'.length);
    return { op: 'relation', ...(type ? { type } : {}), ...(values ? { targets: values } : {}) };
  }
  return values ? { op: 'in', path, values } : { op: 'exists', path };
}

/** A prefix leaf on `path` (`relation` with `prefix` for `relations.<type>`). */
export function prefixNode(path: string, prefix: string): FilterNode {
  if (path === 'relations' || path.startsWith('relations.')) {
    const type = path === 'relations' ? undefined : path.slice('relations.'.length);
    return { op: 'relation', ...(type ? { type } : {}), prefix };
  }
  return { op: 'prefix', path, prefix };
}

/** `all` of `nodes`, collapsed to the single node when there is one. */
export function allOf(nodes: FilterNode[]): FilterNode {
  return nodes.length === 1 && nodes[0] ? nodes[0] : { op: 'all', nodes };
}

/** `any` of `nodes`, collapsed to the single node when there is one. */
export function anyOf(nodes: FilterNode[]): FilterNode {
  return nodes.length === 1 && nodes[0] ? nodes[0] : { op: 'any', nodes };
}

/**
 * Counts leaf conditions and depth of a filter.
 * @throws TarmacError BAD_REQUEST when over `MAX_FILTER_CONDITIONS` or `MAX_FILTER_DEPTH`
 */
export function checkFilterSize(node: FilterNode): void {
  let leaves = 0;
  const walk = (n: FilterNode, depth: number): void => {
    if (depth > MAX_FILTER_DEPTH) throw badRequest(`filter is nested deeper than ${MAX_FILTER_DEPTH} levels`);
    if (n.op === 'all' || n.op === 'any') n.nodes.forEach((c) => walk(c, depth + 1));
    else if (n.op === 'not') walk(n.node, depth + 1);
    else leaves += 1;
    if (leaves > MAX_FILTER_CONDITIONS) throw badRequest(`filter has more than ${MAX_FILTER_CONDITIONS} conditions`);
  };
  walk(node, 0);
}

/**
 * A canonical string for a filter: equal for filters that differ only in the order of `all`/`any` children or
 * of `in` values. Used as a cache key (counts, facets).
 */
export function canonicalFilter(node: FilterNode | undefined): string {
  if (!node) return '';
  switch (node.op) {
    case 'all':
    case 'any':
      return `${node.op}(${node.nodes.map(canonicalFilter).sort().join(',')})`;
    case 'not':
      return `not(${canonicalFilter(node.node)})`;
    case 'exists':
      return `exists(${JSON.stringify(node.path)})`;
    case 'in':
      return `in(${JSON.stringify(node.path)},${JSON.stringify([...node.values].sort())})`;
    case 'prefix':
      return `prefix(${JSON.stringify(node.path)},${JSON.stringify(node.prefix)})`;
    case 'relation':
      return `rel(${JSON.stringify([node.type ?? null, node.targets ? [...node.targets].sort() : null, node.prefix ?? null])})`;
  }
}
