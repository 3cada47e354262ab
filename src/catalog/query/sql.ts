import { RELATION_PAIRS } from '../model/entity.js';
import type { FilterNode } from './ast.js';
import { checkFieldPath } from './ast.js';
import type { FullTextFilter } from './cursor.js';

/**
 * Compiles the filter AST into SQL fragments over `catalog_entities` (alias `e` by default). Every value travels as
 * a `$n` parameter; field paths are checked (`checkFieldPath`) and only ever reach SQL as parameters or inside a
 * quoted jsonpath parameter, so no input can change the statement.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  private aliases = 0;

  /** Adds a parameter and returns its placeholder (`$3`). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** A fresh table alias for a sub-query (`r1`, `r2`…). */
  alias(base: string): string {
    this.aliases += 1;
    return `${base}${this.aliases}`;
  }
}

/**
 * Fields held in their own lowercase columns instead of `search_keys` (always present on every entity).
 * `metadata.name` uses `sort_name` (= lowercase name, indexed with entity_ref).
 */
export const COLUMN_FIELDS: Readonly<Record<string, string>> = {
  kind: 'kind',
  'metadata.name': 'sort_name',
  'metadata.namespace': 'namespace',
  'metadata.uid': 'uid',
};

const RELATION_TYPES = new Map<string, string>(RELATION_PAIRS.flat().map((t) => [t.toLowerCase(), t]));
const INVERSE = new Map<string, string>(RELATION_PAIRS.flatMap(([a, b]) => [[a, b], [b, a]] as Array<[string, string]>));
const CANONICAL = new Set<string>(RELATION_PAIRS.map(([a]) => a));

/** The stored (camelCase) relation type for a lowercase one, or undefined for an unknown type. */
export function canonicalRelationType(lower: string): string | undefined {
  return RELATION_TYPES.get(lower.toLowerCase());
}

/** The inverse of a relation type (`ownedBy` ↔ `ownerOf`), undefined for unknown types. */
export function inverseRelationType(type: string): string | undefined {
  return INVERSE.get(type);
}

/**
 * How a relation of `type` is stored in `catalog_relations` (one row per inverse pair, in canonical direction):
 * `ownedBy` as is (`forward`), `ownerOf` as the `ownedBy` row read backwards. Unknown types are stored as given.
 */
export function storedRelation(type: string): { type: string; forward: boolean } {
  const inverse = INVERSE.get(type);
  if (inverse === undefined || CANONICAL.has(type)) return { type, forward: true };
  return { type: inverse, forward: false };
}

/** The canonical types (first of each pair): the only ones whose rows are read backwards. */
export const CANONICAL_RELATION_TYPES: readonly string[] = [...CANONICAL];

/** Escapes `%`, `_` and `\` for a LIKE pattern (default escape character `\`). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Backstage also indexes each string array item as `path.item=true` (`metadata.tags.java`). Tarmac stores only
 * `path=item`, so a condition on `a.b.c` (exists, or `=true`) also matches the keys "item `c` of array `a.b`"
 * and "item `b.c` of array `a`": `['a.b=c', 'a=b.c']`.
 */
export function itemKeys(path: string): string[] {
  const segs = path.split('.');
  const out: string[] = [];
  for (let i = segs.length - 1; i >= 1; i--) out.push(`${segs.slice(0, i).join('.')}=${segs.slice(i).join('.')}`);
  return out;
}

/**
 * SQL boolean expression for `node` on entity alias `a`, following Backstage's search-table semantics over the
 * compact `search_keys` (storage/search-keys.ts). Equality and `$in` use the GIN index (`@>`, `&&`); existence and
 * prefixes scan each row's keys; relation conditions read `catalog_relations`.
 * @param p the statement's parameter list (values are appended)
 */
export function compileFilter(node: FilterNode, p: SqlParams, a = 'e'): string {
  switch (node.op) {
    case 'all':
      return node.nodes.length === 0 ? 'TRUE' : `(${node.nodes.map((n) => compileFilter(n, p, a)).join(' AND ')})`;
    case 'any':
      return node.nodes.length === 0 ? 'FALSE' : `(${node.nodes.map((n) => compileFilter(n, p, a)).join(' OR ')})`;
    case 'not':
      return `NOT ${compileFilter(node.node, p, a)}`;
    case 'exists': {
      checkFieldPath(node.path, 'filter');
      if (COLUMN_FIELDS[node.path]) return 'TRUE';
      const k = p.alias('k');
      const items = itemKeys(node.path);
      const viaItems = items.length ? `${a}.search_keys && ${p.add(items)}::text[] OR ` : '';
      return `(${viaItems}EXISTS (SELECT 1 FROM unnest(${a}.search_keys) AS ${k}(v) WHERE ${k}.v = ${p.add(node.path)}` +
        ` OR starts_with(${k}.v, ${p.add(`${node.path}=`)})))`;
    }
    case 'in': {
      checkFieldPath(node.path, 'filter');
      const col = COLUMN_FIELDS[node.path];
      if (col) {
        if (node.values.length === 1) return `${a}.${col} = ${p.add(node.values[0])}`;
        return `${a}.${col} = ANY(${p.add(node.values)}::text[])`;
      }
      const keys = node.values.flatMap((v) => [`${node.path}=${v}`, ...(v === 'true' ? itemKeys(node.path) : [])]);
      if (keys.length === 0) return 'FALSE';
      return `${a}.search_keys ${keys.length === 1 ? '@>' : '&&'} ${p.add(keys)}::text[]`;
    }
    case 'prefix': {
      checkFieldPath(node.path, 'filter');
      const col = COLUMN_FIELDS[node.path];
      if (col) return `${a}.${col} LIKE ${p.add(`${escapeLike(node.prefix)}%`)}`;
      const k = p.alias('k');
      const pattern = p.add(`${escapeLike(`${node.path}=${node.prefix}`)}%`);
      return `EXISTS (SELECT 1 FROM unnest(${a}.search_keys) AS ${k}(v) WHERE ${k}.v LIKE ${pattern})`;
    }
    case 'relation':
      return compileRelation(node, p, a);
  }
}

/**
 * Relation conditions over `catalog_relations` (one row per inverse pair, see `storedRelation`): "has ownedBy →
 * G" is the row (entity, ownedBy, G); "has ownerOf → A" is the row (A, ownedBy, entity). Both read through an
 * index whose leading column is the known side.
 */
function compileRelation(node: Extract<FilterNode, { op: 'relation' }>, p: SqlParams, a: string): string {
  if (node.targets !== undefined && node.targets.length === 0) return 'FALSE';
  const r = p.alias('r');
  const otherConds = (alias: string, col: string): string[] => {
    const conds: string[] = [];
    if (node.targets !== undefined) conds.push(`${alias}.${col} = ANY(${p.add(node.targets)}::text[])`);
    if (node.prefix !== undefined) conds.push(`${alias}.${col} LIKE ${p.add(`${escapeLike(node.prefix)}%`)}`);
    return conds;
  };
  if (node.type === undefined) {
    const r2 = p.alias('r');
    const out = [`${r}.source_ref = ${a}.entity_ref`, ...otherConds(r, 'target_ref')];
    const back = [
      `${r2}.target_ref = ${a}.entity_ref`,
      `${r2}.type = ANY(${p.add(CANONICAL_RELATION_TYPES)}::text[])`,
      ...otherConds(r2, 'source_ref'),
    ];
    return `(EXISTS (SELECT 1 FROM catalog_relations ${r} WHERE ${out.join(' AND ')})` +
      ` OR EXISTS (SELECT 1 FROM catalog_relations ${r2} WHERE ${back.join(' AND ')}))`;
  }
  const known = canonicalRelationType(node.type);
  if (!known) {
    const conds = [`${r}.source_ref = ${a}.entity_ref`, `lower(${r}.type) = ${p.add(node.type)}`, ...otherConds(r, 'target_ref')];
    return `EXISTS (SELECT 1 FROM catalog_relations ${r} WHERE ${conds.join(' AND ')})`;
  }
  const stored = storedRelation(known);
  const self = stored.forward ? 'source_ref' : 'target_ref';
  const other = stored.forward ? 'target_ref' : 'source_ref';
  const conds = [`${r}.type = ${p.add(stored.type)}`, ...otherConds(r, other)];
  if (conds.length === 1) {
    return `EXISTS (SELECT 1 FROM catalog_relations ${r} WHERE ${r}.${self} = ${a}.entity_ref AND ${conds[0]})`;
  }
  return `${a}.entity_ref IN (SELECT ${r}.${self} FROM catalog_relations ${r} WHERE ${conds.join(' AND ')})`;
}

/**
 * SQL for Backstage's full-text filter: `term` (trimmed, lowercased) is a substring of the value of one of
 * `fields` (any field when absent), as in Backstage's `fullTextFilterTerm` / `fullTextFilterFields`.
 * Returns 'TRUE' for an empty term.
 */
export function compileFullText(ft: FullTextFilter, p: SqlParams, a = 'e'): string {
  const term = ft.term.trim().toLowerCase();
  if (!term) return 'TRUE';
  const fields = ft.fields?.map((f) => checkFieldPath(f, 'fullTextFilter.fields').toLowerCase());
  const ors: string[] = [];
  const anywhere = `%${escapeLike(term)}%`;
  for (const [field, col] of Object.entries(COLUMN_FIELDS)) {
    if (!fields || fields.includes(field)) ors.push(`${a}.${col} LIKE ${p.add(anywhere)}`);
  }
  // A key is `path=value` and paths never hold '=': `path=%term%` (or `%=%term%` for any path) matches values only.
  const keyFields = fields?.filter((f) => !COLUMN_FIELDS[f]);
  const patterns = keyFields ? keyFields.map((f) => `${escapeLike(f)}=${anywhere}`) : [`%=${anywhere}`];
  if (patterns.length > 0) {
    const k = p.alias('k');
    ors.push(`EXISTS (SELECT 1 FROM unnest(${a}.search_keys) AS ${k}(v) WHERE ${k}.v LIKE ANY(${p.add(patterns)}::text[]))`);
  }
  return ors.length ? `(${ors.join(' OR ')})` : 'FALSE';
}

/**
 * The jsonpath that reads a field's values from the entity JSON, unwrapping arrays: `spec.type` →
 * `$."spec"."type"[*]`. Under `metadata.annotations.` and `metadata.labels.` the rest is one key (those keys may
 * contain dots). Paths are case-sensitive (`spec.providesApis`).
 * @throws TarmacError BAD_REQUEST on an invalid path
 */
export function fieldJsonPath(field: string): string {
  checkFieldPath(field, 'field');
  const segs = field.split('.');
  const [first, second] = segs;
  const keys = first === 'metadata' && (second === 'annotations' || second === 'labels') && segs.length > 2
    ? [first, second, segs.slice(2).join('.')]
    : segs;
  return `$${keys.map((k) => `.${JSON.stringify(k)}`).join('')}[*]`;
}

/**
 * The SQL sort key for an order field: the lowercase value of the field, NULL when the entity lacks it
 * (such entities are excluded, as in Backstage). Indexed for `metadata.name`; computed from the JSON otherwise.
 */
export function sortExpression(field: string, p: SqlParams, a = 'e'): string {
  if (field.toLowerCase() === 'metadata.name') return `${a}.sort_name`;
  const col = COLUMN_FIELDS[field.toLowerCase()];
  if (col) return `${a}.${col}`;
  return `(lower(jsonb_path_query_first(${a}.entity, ${p.add(fieldJsonPath(field))}::jsonpath) #>> '{}') COLLATE "C")`;
}
