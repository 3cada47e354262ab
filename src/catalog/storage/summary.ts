import type { Queryable } from '../../core/db/index.js';
import type { FilterNode } from '../query/index.js';
import { CANONICAL_RELATION_TYPES, SqlParams, canonicalFilter, compileFilter, inverseRelationType } from '../query/index.js';
import type { GenerationCache } from './gen-cache.js';
import { checkLimit } from './page.js';

/** Counts for the portal's home page (`GET /api/catalog/summary`). */
export interface CatalogSummary {
  totalEntities: number;
  /** Kinds as written (`Component`), most entities first. */
  countsByKind: Array<{ kind: string; count: number }>;
  /** Distinct entity refs with at least one stored error (stored entities or refs that failed validation). */
  entitiesWithErrors: number;
  errorCount: number;
  locationCount: number;
  /** Distinct relations (from, type, to) from an existing entity to a ref not in the catalog. */
  unresolvedRelations: number;
}

/**
 * The summary, cached until the next write (`generation`, the store's catalog generation). With `filter` (a caller's read restriction) entity counts,
 * errors and unresolved relations count only entities matching it (errors not tied to an entity still count).
 */
export async function summary(
  db: Queryable,
  generation: () => Promise<number>,
  cache: GenerationCache<CatalogSummary>,
  filter?: FilterNode,
): Promise<CatalogSummary> {
  const gen = await generation();
  const key = `summary\n${canonicalFilter(filter)}`;
  const cached = cache.get(key, gen);
  if (cached) return cached;
  const kp = new SqlParams();
  const kindWhere = filter ? `WHERE ${compileFilter(filter, kp)}` : '';
  const kinds = await db.query<{ kind: string; count: number }>(
    `SELECT min(e.entity->>'kind') AS kind, count(*)::int AS count FROM catalog_entities e ${kindWhere}
     GROUP BY e.kind ORDER BY count DESC, kind`,
    kp.values,
  );
  const p = new SqlParams();
  p.add(CANONICAL_RELATION_TYPES);
  const readable = (col: string) =>
    filter ? `EXISTS (SELECT 1 FROM catalog_entities e WHERE e.entity_ref = ${col} AND ${compileFilter(filter, p)})` : 'TRUE';
  const [row] = await db.query<{ with_errors: number; errors: number; locations: number; unresolved: number }>(
    `SELECT (SELECT count(DISTINCT c.entity_ref) FROM catalog_errors c WHERE c.entity_ref IS NOT NULL AND ${readable('c.entity_ref')})::int AS with_errors,
       (SELECT count(*) FROM catalog_errors c WHERE ${filter ? `c.entity_ref IS NULL OR ${readable('c.entity_ref')}` : 'TRUE'})::int AS errors,
       (SELECT count(*) FROM catalog_locations)::int AS locations,
       (SELECT count(*) FROM (${UNRESOLVED}) u WHERE ${readable('u.from_ref')})::int AS unresolved`,
    p.values,
  );
  const result: CatalogSummary = {
    totalEntities: kinds.reduce((n, k) => n + k.count, 0),
    countsByKind: kinds,
    entitiesWithErrors: row?.with_errors ?? 0,
    errorCount: row?.errors ?? 0,
    locationCount: row?.locations ?? 0,
    unresolvedRelations: row?.unresolved ?? 0,
  };
  cache.set(key, gen, result);
  return result;
}

/**
 * Distinct unresolved relations as (from_ref, type, to_ref, backwards): stored rows from an existing entity to a
 * missing one, and canonical rows from a missing entity to an existing one (read backwards: `type` is then to be
 * inverted). `$1` = the canonical relation types.
 */
const UNRESOLVED = `
  SELECT DISTINCT r.source_ref AS from_ref, r.type, r.target_ref AS to_ref, false AS backwards FROM catalog_relations r
  WHERE EXISTS (SELECT 1 FROM catalog_entities s WHERE s.entity_ref = r.source_ref)
    AND NOT EXISTS (SELECT 1 FROM catalog_entities t WHERE t.entity_ref = r.target_ref)
  UNION ALL
  SELECT DISTINCT r.target_ref, r.type, r.source_ref, true FROM catalog_relations r
  WHERE r.type = ANY($1::text[]) AND EXISTS (SELECT 1 FROM catalog_entities t WHERE t.entity_ref = r.target_ref)
    AND NOT EXISTS (SELECT 1 FROM catalog_entities s WHERE s.entity_ref = r.source_ref)`;

/** A page of unresolved relations: from an existing entity to a ref not in the catalog. */
export async function listUnresolvedRelations(
  db: Queryable,
  q: { limit: number; offset: number },
): Promise<{ items: Array<{ sourceRef: string; type: string; targetRef: string }>; totalItems: number }> {
  const rows = await db.query<{ from_ref: string; type: string; to_ref: string; backwards: boolean; total: number }>(
    `SELECT u.*, count(*) OVER ()::int AS total FROM (${UNRESOLVED}) u
     ORDER BY u.from_ref, u.to_ref, u.type, u.backwards LIMIT $2 OFFSET $3`,
    [CANONICAL_RELATION_TYPES, checkLimit(q.limit), Math.max(0, Math.trunc(q.offset) || 0)],
  );
  return {
    items: rows.map((r) => ({
      sourceRef: r.from_ref,
      type: r.backwards ? (inverseRelationType(r.type) ?? r.type) : r.type,
      targetRef: r.to_ref,
    })),
    totalItems: rows[0]?.total ?? 0,
  };
}
