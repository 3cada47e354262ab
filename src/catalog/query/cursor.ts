import { badRequest } from '../../core/errors.js';
import type { FilterNode } from './ast.js';
import { checkFieldPath, checkFilterSize, filterPath, filterValue } from './ast.js';

/** A sort directive: one field (dot path) and a direction. */
export interface OrderField {
  field: string;
  order: 'asc' | 'desc';
}

/** Full-text filter: `term` is matched as a case-insensitive substring of the values of `fields` (all when absent). */
export interface FullTextFilter {
  term: string;
  fields?: string[];
}

/**
 * What a `by-query` cursor carries (as Backstage: once a cursor is passed, the filter, order and full-text filter
 * sent with it are ignored — the cursor's are used). `pos` is the keyset boundary: the sort value (null in the
 * default order by entity ref) and the entity ref of the last item of the page (`dir: 'next'`) or of the first
 * (`dir: 'prev'`). The page continues strictly after / before that boundary.
 */
export interface QueryCursor {
  v: 1;
  filter?: FilterNode;
  fullText?: FullTextFilter;
  order?: OrderField;
  pos: { value: string | null; ref: string };
  dir: 'next' | 'prev';
}

/** Encodes a cursor as opaque base64url JSON. */
export function encodeCursor(cursor: QueryCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** Longest cursor accepted, in characters (above what the largest allowed filter encodes to). */
export const MAX_CURSOR_LENGTH = 1024 * 1024;

/**
 * Decodes and checks a cursor made by `encodeCursor` (base64url or base64). Everything in it is re-validated
 * (field paths, filter shape and size), since clients can forge cursors.
 * @throws TarmacError BAD_REQUEST "invalid cursor …" on anything malformed
 */
export function decodeCursor(text: string): QueryCursor {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_CURSOR_LENGTH) {
    throw badRequest('invalid cursor: expected a non-empty string from a previous response');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('invalid cursor: not a cursor returned by this server');
  }
  try {
    return checkCursor(raw);
  } catch (err) {
    throw badRequest(`invalid cursor: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkCursor(raw: unknown): QueryCursor {
  if (!isObject(raw) || raw.v !== 1) throw new Error('unknown cursor version');
  const pos = raw.pos;
  if (!isObject(pos) || typeof pos.ref !== 'string' || !(pos.value === null || typeof pos.value === 'string')) {
    throw new Error('bad position');
  }
  if (raw.dir !== 'next' && raw.dir !== 'prev') throw new Error('bad direction');
  const cursor: QueryCursor = { v: 1, pos: { value: pos.value, ref: pos.ref }, dir: raw.dir };
  if (raw.filter !== undefined) {
    cursor.filter = checkFilterNode(raw.filter);
    checkFilterSize(cursor.filter);
  }
  if (raw.fullText !== undefined) cursor.fullText = checkFullText(raw.fullText);
  if (raw.order !== undefined) cursor.order = checkOrder(raw.order);
  return cursor;
}

/**
 * Checks a full-text filter (from a request or a cursor).
 * @throws TarmacError BAD_REQUEST on a bad shape or field path
 */
export function checkFullText(raw: unknown): FullTextFilter {
  if (!isObject(raw) || typeof raw.term !== 'string') throw badRequest('fullTextFilter: expected { term, fields? }');
  const out: FullTextFilter = { term: raw.term };
  if (raw.fields !== undefined) {
    if (!Array.isArray(raw.fields)) throw badRequest('fullTextFilter.fields: expected an array of field paths');
    out.fields = raw.fields.map((f) => filterPath(f, 'fullTextFilter.fields'));
  }
  return out;
}

/**
 * Checks a sort directive (from a request or a cursor). The field keeps its case (sorting reads the entity JSON).
 * @throws TarmacError BAD_REQUEST on a bad shape, field path or direction
 */
export function checkOrder(raw: unknown): OrderField {
  if (!isObject(raw)) throw badRequest('order: expected { field, order }');
  const field = checkFieldPath(raw.field, 'order');
  if (raw.order !== 'asc' && raw.order !== 'desc') throw badRequest(`order: direction must be asc or desc for ${field}`);
  return { field, order: raw.order };
}

function stringList(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`${what} must be a list of strings`);
  return (v as string[]).map((x) => filterValue(x, what));
}

/** Re-validates a FilterNode read from untrusted JSON (a cursor). */
export function checkFilterNode(raw: unknown): FilterNode {
  if (!isObject(raw)) throw new Error('bad filter');
  switch (raw.op) {
    case 'all':
    case 'any':
      if (!Array.isArray(raw.nodes)) throw new Error('bad filter');
      return { op: raw.op, nodes: raw.nodes.map(checkFilterNode) };
    case 'not':
      return { op: 'not', node: checkFilterNode(raw.node) };
    case 'exists':
      return { op: 'exists', path: filterPath(raw.path, 'cursor filter') };
    case 'in':
      return { op: 'in', path: filterPath(raw.path, 'cursor filter'), values: stringList(raw.values, 'values') };
    case 'prefix':
      if (typeof raw.prefix !== 'string') throw new Error('bad prefix');
      return { op: 'prefix', path: filterPath(raw.path, 'cursor filter'), prefix: filterValue(raw.prefix, 'prefix') };
    case 'relation': {
      const node: FilterNode = { op: 'relation' };
      if (raw.type !== undefined) node.type = filterPath(raw.type, 'cursor filter');
      if (raw.targets !== undefined) node.targets = stringList(raw.targets, 'targets');
      if (raw.prefix !== undefined) {
        if (typeof raw.prefix !== 'string') throw new Error('bad prefix');
        node.prefix = filterValue(raw.prefix, 'prefix');
      }
      return node;
    }
    default:
      throw new Error('bad filter');
  }
}
