import type { Queryable } from '../../core/db/index.js';
import { badRequest } from '../../core/errors.js';
import type { Entity } from '../model/entity.js';
import type { FilterNode, FullTextFilter, OrderField, QueryCursor } from '../query/index.js';
import {
  andFilters,
  applyFieldSelection,
  canonicalFilter,
  checkFullText,
  checkOrder,
  decodeCursor,
  encodeCursor,
  needsTopLevel,
  normalizeFields,
} from '../query/index.js';
import type { GenerationCache } from './gen-cache.js';
import type { Position, Selection } from './page.js';
import { checkLimit, countSelection, readPage, selectionKey } from './page.js';
import type { Attach, EntityRow } from './rows.js';
import { toEntity } from './rows.js';

/**
 * A `by-query` request (Backstage `GET|POST /entities/by-query`).
 * - `filter`, `fullText`, `order` select and sort; ignored when `cursor` is given (the cursor carries them).
 * - `order`: only the first directive is used (then entity ref); entities lacking the field are excluded.
 *   Default order: entity ref ascending.
 * - `limit`: page size 0…10,000 (0 returns only `totalItems`); `offset` only without a cursor.
 * - `fields`: projection (`kind`, `metadata.name`…); `totalItems: false` skips the count (default true).
 */
export interface EntityQuery {
  filter?: FilterNode;
  fullText?: { term: string; fields?: string[] };
  order?: Array<{ field: string; order: 'asc' | 'desc' }>;
  limit: number;
  cursor?: string;
  offset?: number;
  fields?: string[];
  totalItems?: boolean;
  /**
   * The caller's read restriction (permissions), ANDed into every read and count, cursor pages included; never
   * written into cursors (they carry only the caller's own filter).
   */
  restrict?: FilterNode;
}

/** `by-query` result. `totalItems` counts every match (not the remaining ones); 0 when not asked for. */
export interface EntityQueryResult {
  items: Entity[];
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

/** What to attach for a projection: relations/status only when `fields` keeps them. */
export function attachFor(fields: string[] | undefined): Attach {
  return { relations: needsTopLevel(fields, 'relations'), status: needsTopLevel(fields, 'status') };
}

function project(rows: EntityRow[], attach: Attach, fields: string[] | undefined): Entity[] {
  return rows.map((r) => applyFieldSelection(toEntity(r, attach), fields) as Entity);
}

function cleanFullText(ft: EntityQuery['fullText']): FullTextFilter | undefined {
  if (!ft) return undefined;
  const checked = checkFullText(ft);
  const term = checked.term.trim();
  if (!term) return undefined;
  return { term, ...(checked.fields?.length ? { fields: checked.fields } : {}) };
}

/** Reads a `by-query` page; see `EntityQuery`. @throws TarmacError BAD_REQUEST on a bad cursor, field or limit */
export async function queryEntities(db: Queryable, counts: GenerationCache<number>, q: EntityQuery): Promise<EntityQueryResult> {
  let sel: Selection;
  let position: Position | undefined;
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    sel = { filter: c.filter, fullText: c.fullText, order: c.order };
    position = { ...c.pos, dir: c.dir };
  } else {
    const first = q.order?.[0];
    sel = { filter: q.filter, fullText: cleanFullText(q.fullText), order: first ? checkOrder(first) : undefined };
  }
  const limit = checkLimit(q.limit);
  const offset = q.cursor ? undefined : q.offset;
  if (offset !== undefined && (!Number.isInteger(offset) || offset < 0)) throw badRequest(`offset must be a non-negative integer`);
  const fields = normalizeFields(q.fields);
  const attach = attachFor(fields);

  const wantTotal = q.totalItems !== false;
  const effective: Selection = q.restrict ? { ...sel, filter: andFilters(sel.filter, q.restrict) } : sel;
  const key = selectionKey(effective, canonicalFilter(effective.filter));
  const knownGen = counts.lastGeneration;
  const cached = wantTotal ? counts.get(key, knownGen) : undefined;
  const countNow = wantTotal && cached === undefined ? countSelection(db, effective) : undefined;
  countNow?.catch(() => undefined); // awaited below; avoid an unhandled rejection if the page fails first
  const page = limit > 0 ? await readPage(db, { ...effective, position, offset, limit, attach }) : undefined;

  let totalItems = 0;
  if (wantTotal) {
    if (cached !== undefined && page !== undefined && page.generation === knownGen) {
      totalItems = cached; // the page was read at the generation the count was cached for
    } else {
      const counted = await (countNow ?? countSelection(db, effective));
      counts.set(key, counted.generation, counted.count);
      totalItems = counted.count;
    }
  }

  const rows = page?.rows ?? [];
  const mk = (row: EntityRow | undefined, dir: 'next' | 'prev'): string | undefined => {
    if (!row) return undefined;
    const cursor: QueryCursor = { v: 1, ...sel, pos: { value: row.sort_value, ref: row.entity_ref }, dir };
    return encodeCursor(cursor);
  };
  const first = rows[0];
  const last = rows[rows.length - 1];
  const hasMore = page?.hasMore ?? false;
  let nextCursor: string | undefined;
  let prevCursor: string | undefined;
  if (position?.dir === 'prev') {
    nextCursor = mk(last, 'next');
    prevCursor = hasMore ? mk(first, 'prev') : undefined;
  } else {
    nextCursor = hasMore ? mk(last, 'next') : undefined;
    prevCursor = position || (offset ?? 0) > 0 ? mk(first, 'prev') : undefined;
  }
  return {
    items: project(rows, attach, fields),
    totalItems,
    pageInfo: { ...(nextCursor ? { nextCursor } : {}), ...(prevCursor ? { prevCursor } : {}) },
  };
}

/** A `GET /entities` request: limit (default 1,000) with offset, or `after` (from a previous `nextAfter`). */
export interface ListEntitiesQuery {
  filter?: FilterNode;
  fields?: string[];
  limit?: number;
  offset?: number;
  after?: string;
  order?: Array<{ field: string; order: 'asc' | 'desc' }>;
}

/**
 * Reads a `GET /entities` page. `nextAfter` is set when more entities follow; pass it back as `after` with the
 * same filter and order. @throws TarmacError BAD_REQUEST on a bad `after` or one made for another order
 */
export async function listEntities(db: Queryable, q: ListEntitiesQuery): Promise<{ items: Entity[]; nextAfter?: string }> {
  const first = q.order?.[0];
  const order: OrderField | undefined = first ? checkOrder(first) : undefined;
  let position: Position | undefined;
  if (q.after) {
    const c = decodeCursor(q.after);
    if (c.dir !== 'next' || JSON.stringify(c.order ?? null) !== JSON.stringify(order ?? null)) {
      throw badRequest('invalid after: it was made for another order');
    }
    position = { ...c.pos, dir: 'next' };
  }
  const fields = normalizeFields(q.fields);
  const attach = attachFor(fields);
  const limit = checkLimit(q.limit ?? 1000);
  const page = await readPage(db, { filter: q.filter, order, position, offset: q.after ? undefined : q.offset, limit, attach });
  const last = page.rows[page.rows.length - 1];
  const nextAfter =
    page.hasMore && last ? encodeCursor({ v: 1, order, pos: { value: last.sort_value, ref: last.entity_ref }, dir: 'next' }) : undefined;
  return { items: project(page.rows, attach, fields), ...(nextAfter ? { nextAfter } : {}) };
}
