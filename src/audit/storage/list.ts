import type { Queryable } from '../../core/db/index.js';
import type { AuditEvent, AuditOutcome } from '../model/event.js';
import { EVENT_COLUMNS, rowToEvent, type EventRow } from './events.js';

/**
 * Filters of an audit query; every given one must match. `action` ending in `.*` matches that prefix
 * (`catalog.*` → `catalog.location.create`…); the others match exactly. `from` ≤ time < `to`.
 */
export interface EventFilter {
  actor?: string;
  action?: string;
  resource?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
}

function where(f: EventFilter, params: unknown[]): string[] {
  const clauses: string[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  };
  if (f.actor !== undefined) add((p) => `actor = ${p}`, f.actor);
  if (f.action !== undefined) {
    if (f.action.endsWith('.*')) add((p) => `starts_with(action, ${p})`, f.action.slice(0, -1));
    else add((p) => `action = ${p}`, f.action);
  }
  if (f.resource !== undefined) add((p) => `resource = ${p}`, f.resource);
  if (f.outcome !== undefined) add((p) => `outcome = ${p}`, f.outcome);
  if (f.from !== undefined) add((p) => `time >= ${p}::timestamptz`, f.from);
  if (f.to !== undefined) add((p) => `time < ${p}::timestamptz`, f.to);
  return clauses;
}

/**
 * One page of matching events, newest first, starting below `beforeSeq` (the cursor). The first page (no cursor)
 * also counts every matching event; later pages leave `totalItems` out, so paging a large log does not count all
 * of it again on every page (callers keep the first page's total).
 * @param limit page size (the caller clamps it)
 * @returns `items` (at most `limit`), whether more follow, and `totalItems` on the first page only
 */
export async function listEvents(
  db: Queryable,
  f: EventFilter,
  page: { limit: number; beforeSeq?: number },
): Promise<{ items: AuditEvent[]; more: boolean; totalItems?: number }> {
  const params: unknown[] = [];
  const clauses = where(f, params);
  const whereSql = (c: string[]) => (c.length ? ` WHERE ${c.join(' AND ')}` : '');
  const firstPage = page.beforeSeq === undefined;
  const countSql = `SELECT count(*)::bigint AS n FROM audit_events${whereSql(clauses)}`;
  const countParams = [...params];
  if (!firstPage) {
    params.push(page.beforeSeq);
    clauses.push(`seq < $${params.length}`);
  }
  params.push(page.limit + 1);
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM audit_events${whereSql(clauses)} ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  const result = { items: rows.slice(0, page.limit).map(rowToEvent), more: rows.length > page.limit };
  if (!firstPage) return result;
  const [count] = await db.query<{ n: number }>(countSql, countParams);
  return { ...result, totalItems: Number(count?.n ?? 0) };
}
