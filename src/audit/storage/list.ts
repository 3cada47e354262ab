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
 * One page of matching events, newest first, starting below `beforeSeq` (the cursor), plus the total number of
 * matching events (ignoring the cursor).
 * @param limit page size (the caller clamps it)
 * @returns `items` (at most `limit`) and whether more follow
 */
export async function listEvents(
  db: Queryable,
  f: EventFilter,
  page: { limit: number; beforeSeq?: number },
): Promise<{ items: AuditEvent[]; more: boolean; totalItems: number }> {
  const params: unknown[] = [];
  const clauses = where(f, params);
  const countSql = `SELECT count(*)::bigint AS n FROM audit_events${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''}`;
  const countParams = [...params];
  if (page.beforeSeq !== undefined) {
    params.push(page.beforeSeq);
    clauses.push(`seq < $${params.length}`);
  }
  params.push(page.limit + 1);
  const rows = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM audit_events${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''}
      ORDER BY seq DESC LIMIT $${params.length}`,
    params,
  );
  const [count] = await db.query<{ n: number }>(countSql, countParams);
  return { items: rows.slice(0, page.limit).map(rowToEvent), more: rows.length > page.limit, totalItems: Number(count?.n ?? 0) };
}
