import type { Queryable } from '../../core/db/index.js';
import type { FilterNode } from '../query/index.js';
import { SqlParams, compileFilter } from '../query/index.js';
import type { ErrorRow } from './hash.js';
import { checkLimit } from './page.js';
import { normalizeRef } from './rows.js';

/** One stored ingestion error as the API lists it (`GET /api/catalog/errors`). */
export interface ErrorItem {
  id: number;
  locationId: string;
  /** The registered location's target (path, URL or repository). */
  locationTarget: string;
  entityRef: string | null;
  sourceFile: string | null;
  line: number | null;
  col: number | null;
  fieldPath: string | null;
  code: string;
  message: string;
  /** ISO 8601. */
  createdAt: string;
}

/**
 * Ingestion errors, oldest first, optionally for one location and/or one entity ref (case-insensitive). With
 * `filter` (a caller's read restriction) only errors not tied to an entity, or tied to a stored entity matching it.
 */
export async function listErrors(
  db: Queryable,
  q: { locationId?: string; entityRef?: string; limit: number; offset: number; filter?: FilterNode },
): Promise<{ items: ErrorItem[]; totalItems: number }> {
  const p = new SqlParams();
  const params = p.values;
  const where: string[] = [];
  if (q.locationId) where.push(`c.location_id = ${p.add(q.locationId)}`);
  if (q.entityRef) where.push(`c.entity_ref = ${p.add(normalizeRef(q.entityRef))}`);
  if (q.filter) {
    where.push(
      `(c.entity_ref IS NULL OR EXISTS (SELECT 1 FROM catalog_entities e WHERE e.entity_ref = c.entity_ref AND ${compileFilter(q.filter, p)}))`,
    );
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const countRows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM catalog_errors c ${w}`, params);
  const rows = await db.query<ErrorRow & { id: number; location_id: string; target: string; created_at: Date }>(
    `SELECT c.*, l.target FROM catalog_errors c JOIN catalog_locations l ON l.id = c.location_id ${w}
     ORDER BY c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, checkLimit(q.limit), Math.max(0, Math.trunc(q.offset) || 0)],
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      locationId: r.location_id,
      locationTarget: r.target,
      entityRef: r.entity_ref,
      sourceFile: r.source_file,
      line: r.line,
      col: r.col,
      fieldPath: r.field_path,
      code: r.code,
      message: r.message,
      createdAt: new Date(r.created_at).toISOString(),
    })),
    totalItems: countRows[0]?.n ?? 0,
  };
}
