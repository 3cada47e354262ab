/**
 * The catalog's query language, pure (no I/O): Backstage filter syntax and predicate queries → `FilterNode` →
 * SQL fragments; field projection; opaque cursors. Storage compiles with `compileFilter`; routes parse with
 * `parseFilterParams` / `parsePredicateQuery`.
 */
export type { FilterNode } from './ast.js';
export {
  MAX_FILTER_CONDITIONS,
  MAX_FILTER_DEPTH,
  MAX_PATH_LENGTH,
  MAX_VALUE_LENGTH,
  canonicalFilter,
  checkFieldPath,
} from './ast.js';
export { parseFilterParams } from './filter-params.js';
export { parsePredicateQuery } from './predicate.js';
export { applyFieldSelection, needsTopLevel, normalizeFields } from './fields.js';
export type { FullTextFilter, OrderField, QueryCursor } from './cursor.js';
export { checkFullText, checkOrder, decodeCursor, encodeCursor } from './cursor.js';
export {
  CANONICAL_RELATION_TYPES,
  COLUMN_FIELDS,
  SqlParams,
  canonicalRelationType,
  inverseRelationType,
  itemKeys,
  storedRelation,
  compileFilter,
  compileFullText,
  escapeLike,
  fieldJsonPath,
  sortExpression,
} from './sql.js';
export { andFilters, conditionToFilter, readFilterOf, type ReadFilter } from './condition.js';
