import type { Queryable } from '../../core/db/index.js';
import { badRequest } from '../../core/errors.js';
import type { FilterNode, FullTextFilter, OrderField } from '../query/index.js';
import { COLUMN_FIELDS, SqlParams, compileFilter, compileFullText, sortExpression } from '../query/index.js';
import type { Attach, EntityRow } from './rows.js';
import { ENTITY_COLUMNS, selectEntities } from './rows.js';

/** Largest page any read returns. */
export const MAX_LIMIT = 10_000;

/** What selects the entities of a list: filter, full-text filter and (for exclusion of entities lacking it) order. */
export interface Selection {
  filter?: FilterNode;
  fullText?: FullTextFilter;
  order?: OrderField;
}

/** A keyset boundary: continue strictly after (`next`) or before (`prev`) this sort value and ref. */
export interface Position {
  value: string | null;
  ref: string;
  dir: 'next' | 'prev';
}

/** One page to read. Keyset (`position`) or `offset` (only without a position). */
export interface PageRequest extends Selection {
  position?: Position;
  offset?: number;
  limit: number;
  attach: Attach;
}

/** Rows in display order, whether more exist beyond the page (in the scan direction), and the generation read. */
export interface PageResult {
  rows: EntityRow[];
  hasMore: boolean;
  generation: number | null;
}

/** Checks `limit` (integer 0…MAX_LIMIT). @throws TarmacError BAD_REQUEST */
export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`limit must be a non-negative integer, got ${limit}`);
  return Math.min(limit, MAX_LIMIT);
}

/** The WHERE conditions of a selection (filter, full text, order field present). */
export function selectionWhere(sel: Selection, p: SqlParams): string[] {
  const where: string[] = [];
  if (sel.filter) where.push(compileFilter(sel.filter, p));
  if (sel.fullText) where.push(compileFullText(sel.fullText, p));
  if (sel.order && !COLUMN_FIELDS[sel.order.field.toLowerCase()]) {
    where.push(`${sortExpression(sel.order.field, p)} IS NOT NULL`);
  }
  return where;
}

/** A cache key for the set of entities a selection matches (the order matters only through exclusion). */
export function selectionKey(sel: Selection, canonical: string): string {
  const orderPart = sel.order && !COLUMN_FIELDS[sel.order.field.toLowerCase()] ? sel.order.field : '';
  return `${canonical}\n${JSON.stringify(sel.fullText ?? null)}\n${orderPart}`;
}

/**
 * Reads one page with keyset pagination on (sort key, entity_ref) — never OFFSET for cursors — fetching
 * `limit + 1` rows to know whether more follow. Relations and errors are attached in the same statement, and the
 * current generation is read with it.
 */
export async function readPage(db: Queryable, req: PageRequest): Promise<PageResult> {
  const p = new SqlParams();
  const where = selectionWhere(req, p);
  const sortExpr = req.order ? sortExpression(req.order.field, p) : 'e.entity_ref';
  const asc = (req.order?.order ?? 'asc') === 'asc';
  const reverse = req.position?.dir === 'prev';
  const forward = asc !== reverse;
  const dir = forward ? 'ASC' : 'DESC';
  if (req.position) {
    const cmp = forward ? '>' : '<';
    if (req.order) {
      if (req.position.value === null) throw badRequest('invalid cursor: missing sort value');
      where.push(`(${sortExpr}, e.entity_ref) ${cmp} (${p.add(req.position.value)}, ${p.add(req.position.ref)})`);
    } else {
      where.push(`e.entity_ref ${cmp} ${p.add(req.position.ref)}`);
    }
  }
  const orderBy = req.order ? `${sortExpr} ${dir}, e.entity_ref ${dir}` : `e.entity_ref ${dir}`;
  let inner =
    `SELECT ${ENTITY_COLUMNS}, ${req.order ? sortExpr : 'NULL::text'} AS sort_value,` +
    ` (SELECT generation FROM catalog_state WHERE id = 1) AS gen FROM catalog_entities e` +
    ` WHERE ${where.length ? where.join(' AND ') : 'TRUE'} ORDER BY ${orderBy} LIMIT ${p.add(req.limit + 1)}`;
  if (!req.position && req.offset) inner += ` OFFSET ${p.add(req.offset)}`;
  const outerOrder = req.order ? `p.sort_value ${dir}, p.entity_ref ${dir}` : `p.entity_ref ${dir}`;
  const rows = await db.query<EntityRow>(selectEntities(inner, req.attach, outerOrder), p.values);
  const hasMore = rows.length > req.limit;
  const page = rows.slice(0, req.limit);
  if (reverse) page.reverse();
  return { rows: page, hasMore, generation: rows[0]?.gen ?? null };
}

/** Counts the entities a selection matches, with the generation the count was taken at. */
export async function countSelection(db: Queryable, sel: Selection): Promise<{ count: number; generation: number }> {
  const p = new SqlParams();
  const where = selectionWhere(sel, p);
  const rows = await db.query<{ n: number; gen: number }>(
    `SELECT count(*)::int AS n, (SELECT generation FROM catalog_state WHERE id = 1) AS gen
     FROM catalog_entities e WHERE ${where.length ? where.join(' AND ') : 'TRUE'}`,
    p.values,
  );
  return { count: rows[0]?.n ?? 0, generation: rows[0]?.gen ?? 0 };
}
