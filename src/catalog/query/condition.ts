import type { EntityCondition } from '../../core/auth.js';
import type { FilterNode } from './ast.js';
import { canonicalFilter, leafNode } from './ast.js';

/**
 * Converts a read restriction (`EntityCondition`, src/core/auth.ts, from `Authorizer.entityReadCondition`) into the
 * catalog's filter AST. Paths and values are lowercased; `relations.<type>` paths become relation nodes.
 */
export function conditionToFilter(cond: EntityCondition): FilterNode {
  if ('all' in cond) return { op: 'all', nodes: cond.all.map(conditionToFilter) };
  if ('any' in cond) return { op: 'any', nodes: cond.any.map(conditionToFilter) };
  if ('not' in cond) return { op: 'not', node: conditionToFilter(cond.not) };
  if ('exists' in cond) return leafNode(cond.exists.toLowerCase(), undefined);
  if ('relation' in cond) return { op: 'relation', type: cond.relation.toLowerCase(), targets: cond.targets.map((t) => t.toLowerCase()) };
  return leafNode(cond.path.toLowerCase(), cond.values.map((v) => v.toLowerCase()));
}

/** A caller's read restriction as a filter (undefined = reads everything), with a stable key for caches. */
export interface ReadFilter {
  filter: FilterNode;
  key: string;
}

/** `readFilterOf(null | undefined)` is undefined; else the filter and its canonical key. */
export function readFilterOf(cond: EntityCondition | null | undefined): ReadFilter | undefined {
  if (!cond) return undefined;
  const filter = conditionToFilter(cond);
  return { filter, key: canonicalFilter(filter) };
}

/** `a AND b`, either possibly absent. */
export function andFilters(a: FilterNode | undefined, b: FilterNode | undefined): FilterNode | undefined {
  if (!a) return b;
  if (!b) return a;
  return { op: 'all', nodes: [a, b] };
}
