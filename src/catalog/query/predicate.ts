import { badRequest } from '../../core/errors.js';
import type { FilterNode } from './ast.js';
import { MAX_FILTER_DEPTH, allOf, checkFilterSize, filterPath, filterValue, leafNode, prefixNode } from './ast.js';

/**
 * Parses a Backstage filter predicate (the `query` of `POST /entities/by-query`, `/by-refs`, `/entity-facets`)
 * into a `FilterNode`. Source: `@backstage/filter-predicates` (`FilterPredicate`) and Backstage
 * `plugins/catalog-backend/src/service/request/applyPredicateEntityFilterToQuery.ts`.
 *
 * - `{ $all: [p…] }`, `{ $any: [p…] }`, `{ $not: p }` — logical operators, each alone in its object.
 *   As in Backstage, an empty `$all` or `$any` matches nothing.
 * - `{ "<path>": value, … }` — every key must match (AND); `{}` matches everything. A value is a string, number
 *   or boolean (case-insensitive equality, numbers and booleans as strings) or one operator object:
 *   `{ $exists: boolean }`, `{ $in: [primitive…] }`, `{ $hasPrefix: string }`, `{ $contains: primitive | predicate }`.
 * - `$contains` with a predicate matches array elements: `{ "metadata.links": { $contains: { type: "docs" } } }`
 *   (conditions are checked per field, so two conditions may be met by different elements).
 * - Relations: `{ "relations.ownedBy": "group:default/a" }` or
 *   `{ relations: { $contains: { type: "ownedBy", targetRef: "group:default/a" } } }` (`targetRef` may also be
 *   `{ $in: […] }` or `{ $hasPrefix: "…" }`).
 *
 * @throws TarmacError BAD_REQUEST naming the JSON path of the offending part, e.g. `query.$all[1]["spec.type"].$in`
 */
export function parsePredicateQuery(query: unknown): FilterNode {
  const node = parseNode(query, 'query', 0, '');
  checkFilterSize(node);
  return node;
}

type Primitive = string | number | boolean;

function isPrimitive(v: unknown): v is Primitive {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function parseNode(q: unknown, at: string, depth: number, prefix: string): FilterNode {
  if (depth > MAX_FILTER_DEPTH) throw badRequest(`${at}: predicate is nested deeper than ${MAX_FILTER_DEPTH} levels`);
  if (!isPlainObject(q)) throw badRequest(`${at}: expected an object, got ${describe(q)}`);
  const keys = Object.keys(q);
  const operator = keys.find((k) => k.startsWith('$'));
  if (operator !== undefined) {
    if (keys.length !== 1) throw badRequest(`${at}: ${operator} must be the only key of its object`);
    const arg = q[operator];
    if (operator === '$all' || operator === '$any') {
      if (!Array.isArray(arg)) throw badRequest(`${at}.${operator}: expected an array, got ${describe(arg)}`);
      const nodes = arg.map((p, i) => parseNode(p, `${at}.${operator}[${i}]`, depth + 1, prefix));
      // Backstage: an empty $all or $any matches nothing.
      if (nodes.length === 0) return { op: 'any', nodes: [] };
      return { op: operator === '$all' ? 'all' : 'any', nodes };
    }
    if (operator === '$not') return { op: 'not', node: parseNode(arg, `${at}.$not`, depth + 1, prefix) };
    throw badRequest(`${at}: unknown operator ${operator} (expected $all, $any or $not)`);
  }
  return allOf(keys.map((k) => parseField(k, q[k], `${at}[${JSON.stringify(k)}]`, depth, prefix)));
}

function parseField(key: string, value: unknown, at: string, depth: number, prefix: string): FilterNode {
  const path = filterPath(prefix + key, at);
  if (isPrimitive(value)) return leafNode(path, [filterValue(String(value), at)]);
  const ops = isPlainObject(value) ? Object.keys(value) : [];
  const op = ops[0];
  if (!isPlainObject(value) || ops.length !== 1 || op === undefined || !op.startsWith('$')) {
    throw badRequest(
      `${at}: expected a string, number, boolean or one of {$exists}, {$in}, {$hasPrefix}, {$contains}, got ${describe(value)}`,
    );
  }
  const arg = value[op];
  switch (op) {
    case '$exists':
      if (typeof arg !== 'boolean') throw badRequest(`${at}.$exists: expected a boolean, got ${describe(arg)}`);
      return arg ? leafNode(path, undefined) : { op: 'not', node: leafNode(path, undefined) };
    case '$in':
      return inNode(path, arg, `${at}.$in`);
    case '$hasPrefix':
      if (typeof arg !== 'string') throw badRequest(`${at}.$hasPrefix: expected a string, got ${describe(arg)}`);
      return prefixNode(path, filterValue(arg, `${at}.$hasPrefix`));
    case '$contains':
      if (path === 'relations') return relationContains(arg, `${at}.$contains`);
      if (isPrimitive(arg)) return leafNode(path, [filterValue(String(arg), `${at}.$contains`)]);
      return parseNode(arg, `${at}.$contains`, depth + 1, `${path}.`);
    default:
      throw badRequest(`${at}: unknown operator ${op} (expected $exists, $in, $hasPrefix or $contains)`);
  }
}

function inNode(path: string, arg: unknown, at: string): FilterNode {
  if (!Array.isArray(arg)) throw badRequest(`${at}: expected an array, got ${describe(arg)}`);
  const values = arg.map((v, i) => {
    if (!isPrimitive(v)) throw badRequest(`${at}[${i}]: expected a string, number or boolean, got ${describe(v)}`);
    return filterValue(String(v), `${at}[${i}]`);
  });
  if (values.length === 0) return { op: 'any', nodes: [] };
  return leafNode(path, [...new Set(values)]);
}

/** `{ relations: { $contains: { type?, targetRef? } } }`. */
function relationContains(arg: unknown, at: string): FilterNode {
  if (!isPlainObject(arg)) throw badRequest(`${at}: expected an object like { type, targetRef }, got ${describe(arg)}`);
  let type: string | undefined;
  let target: FilterNode = { op: 'relation' };
  for (const [k, v] of Object.entries(arg)) {
    const where = `${at}.${k}`;
    if (k === 'type') {
      if (typeof v !== 'string' || !v) throw badRequest(`${where}: expected a relation type string, got ${describe(v)}`);
      type = filterPath(v, where);
    } else if (k === 'targetRef') {
      if (isPrimitive(v)) target = leafNode('relations', [filterValue(String(v), where)]);
      else if (isPlainObject(v) && Object.keys(v).length === 1 && '$in' in v) target = inNode('relations', v.$in, `${where}.$in`);
      else if (isPlainObject(v) && Object.keys(v).length === 1 && typeof v.$hasPrefix === 'string') {
        target = prefixNode('relations', filterValue(v.$hasPrefix, `${where}.$hasPrefix`));
      } else throw badRequest(`${where}: expected a string, {$in: […]} or {$hasPrefix: "…"}, got ${describe(v)}`);
    } else {
      throw badRequest(`${where}: unknown key (expected type and/or targetRef)`);
    }
  }
  if (target.op !== 'relation') return target; // an empty $in: matches nothing
  return { ...target, ...(type ? { type } : {}) };
}
