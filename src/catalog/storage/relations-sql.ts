import { storedRelation } from '../query/index.js';
import type { Statement } from './statements.js';
import { textArrayLiteral } from './statements.js';
import type { PreparedEntity } from './write-sql.js';
import { ENTITY_BATCH } from './write-sql.js';

/**
 * DELETE of the relation rows produced by `refs` (their `origin_ref`), in batches. Every row involves its origin
 * (as source or target), so the two relation indexes find them.
 */
export function deleteRelationsOf(refs: string[]): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < refs.length; i += ENTITY_BATCH) {
    out.push({
      sql: `DELETE FROM catalog_relations
            WHERE (source_ref = ANY($1::text[]) OR target_ref = ANY($1::text[])) AND origin_ref = ANY($1::text[])`,
      params: [textArrayLiteral(refs.slice(i, i + ENTITY_BATCH))],
    });
  }
  return out;
}

// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f]/g;

const byRelationKey = (x: string[], y: string[]): number => {
  for (let i = 0; i < 3; i++) {
    const a = x[i] ?? '';
    const b = y[i] ?? '';
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
};

/**
 * The rows to store for an entity's relations: each inverse pair once, in canonical direction
 * (`storedRelation`), refs lowercased, without duplicates. Rows not involving the entity itself (never produced
 * by computeRelations) are dropped, since they could not be found again by origin.
 */
export function relationRows(p: PreparedEntity): string[][] {
  const rows: string[][] = [];
  const seen = new Set<string>();
  for (const r of p.pe.relations) {
    // Control characters never belong in a ref; removing them keeps U+001E/U+001F free as separators on reads.
    let source = r.sourceRef.toLowerCase().replace(CONTROL_RE, '');
    let target = r.targetRef.toLowerCase().replace(CONTROL_RE, '');
    if (source !== p.ref && target !== p.ref) continue;
    const stored = storedRelation(r.type);
    if (!stored.forward) [source, target] = [target, source];
    const key = `${source} ${stored.type} ${target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push([source, stored.type, target, p.ref]);
  }
  return rows;
}

/**
 * INSERT of the relation rows of `entities` (see `relationRows`), sorted by (source_ref, type, target_ref) so that
 * index insertions are mostly sequential. Only rows whose origin entity belongs to `locationId` are inserted (an
 * entity lost to a conflicting location gets none), so the statement can be queued right after the entity INSERT
 * without waiting for its result.
 */
export function insertRelationsOf(locationId: string, entities: PreparedEntity[]): Statement[] {
  const rows = entities.flatMap(relationRows);
  if (rows.length === 0) return [];
  rows.sort(byRelationKey);
  return [
    {
      sql: `INSERT INTO catalog_relations (source_ref, type, target_ref, origin_ref)
       SELECT r.s, r.t, r.g, r.o FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(s, t, g, o)
       WHERE r.o IN (SELECT e.entity_ref FROM catalog_entities e WHERE e.entity_ref = ANY($5::text[]) AND e.location_id = $6)`,
      params: [
        ...[0, 1, 2, 3].map((i) => textArrayLiteral(rows.map((r) => r[i] ?? ''))),
        textArrayLiteral(entities.map((p) => p.ref)),
        locationId,
      ],
    },
  ];
}
