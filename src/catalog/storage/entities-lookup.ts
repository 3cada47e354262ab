import type { Database, Queryable } from '../../core/db/index.js';
import type { Entity } from '../model/entity.js';
import type { FilterNode } from '../query/index.js';
import { SqlParams, applyFieldSelection, compileFilter, normalizeFields } from '../query/index.js';
import { attachFor } from './entities-read.js';
import { checkLimit } from './page.js';
import { deleteRelationsOf } from './relations-sql.js';
import type { Attach, EntityRow } from './rows.js';
import { ENTITY_COLUMNS, normalizeRef, selectEntities, toEntity } from './rows.js';

async function selectWhere(db: Queryable, where: string, p: SqlParams, attach: Attach): Promise<EntityRow[]> {
  const inner = `SELECT ${ENTITY_COLUMNS}, NULL::text AS sort_value, NULL::bigint AS gen FROM catalog_entities e WHERE ${where}`;
  return db.query<EntityRow>(selectEntities(inner, attach), p.values);
}

/** ` AND <filter>` for a WHERE clause (its values added to `p`), or '' without a filter. */
function andWhere(filter: FilterNode | undefined, p: SqlParams): string {
  return filter ? ` AND ${compileFilter(filter, p)}` : '';
}

/**
 * Entities for `refs`, in request order, `null` for refs missing or not matching `filter`. Refs compare
 * case-insensitively (a missing namespace means `default`).
 */
export async function getEntitiesByRefs(
  db: Queryable,
  refs: string[],
  opts: { fields?: string[]; filter?: FilterNode } = {},
): Promise<Array<Entity | null>> {
  if (refs.length === 0) return [];
  const fields = normalizeFields(opts.fields);
  const attach = attachFor(fields);
  const wanted = refs.map(normalizeRef);
  const p = new SqlParams();
  const where = `e.entity_ref = ANY(${p.add([...new Set(wanted)])}::text[])${andWhere(opts.filter, p)}`;
  const byRef = new Map((await selectWhere(db, where, p, attach)).map((r) => [r.entity_ref, r]));
  return wanted.map((ref) => {
    const row = byRef.get(ref);
    return row ? (applyFieldSelection(toEntity(row, attach), fields) as Entity) : null;
  });
}

/** The first `limit` entities (by ref) stored for a location (and matching `filter`), with relations and status. */
export async function getEntitiesOfLocation(db: Queryable, locationId: string, limit: number, filter?: FilterNode): Promise<Entity[]> {
  const p = new SqlParams();
  const attach = { relations: true, status: true };
  const restrict = andWhere(filter, p);
  const inner =
    `SELECT ${ENTITY_COLUMNS}, NULL::text AS sort_value, NULL::bigint AS gen FROM catalog_entities e` +
    ` WHERE e.location_id = ${p.add(locationId)}${restrict} ORDER BY e.entity_ref LIMIT ${p.add(checkLimit(limit))}`;
  const rows = await db.query<EntityRow>(selectEntities(inner, attach, 'p.entity_ref'), p.values);
  return rows.map((r) => toEntity(r, attach));
}

/**
 * One entity by ref (case-insensitive), with relations and status; undefined when missing or not matching
 * `filter` (a caller's read restriction, checked in the same query).
 */
export async function getEntityByRef(db: Queryable, ref: string, filter?: FilterNode): Promise<Entity | undefined> {
  const p = new SqlParams();
  const where = `e.entity_ref = ${p.add(normalizeRef(ref))}${andWhere(filter, p)}`;
  const rows = await selectWhere(db, where, p, { relations: true, status: true });
  return rows[0] ? toEntity(rows[0], { relations: true, status: true }) : undefined;
}

/** One entity by `metadata.uid`, with relations and status; undefined when missing or not matching `filter`. */
export async function getEntityByUid(db: Queryable, uid: string, filter?: FilterNode): Promise<Entity | undefined> {
  const p = new SqlParams();
  const rows = await selectWhere(db, `e.uid = ${p.add(uid)}${andWhere(filter, p)}`, p, { relations: true, status: true });
  return rows[0] ? toEntity(rows[0], { relations: true, status: true }) : undefined;
}

/**
 * The YAML document the entity `ref` (case-insensitive) was read from: file, 1-based line and text (each null when
 * not recorded); undefined when the entity is missing or does not match `filter`.
 */
export async function getEntitySource(
  db: Queryable,
  ref: string,
  filter?: FilterNode,
): Promise<{ file: string | null; line: number | null; text: string | null } | undefined> {
  const p = new SqlParams();
  const rows = await db.query<{ source_file: string | null; source_line: number | null; source_text: string | null }>(
    `SELECT e.source_file, e.source_line, e.source_text FROM catalog_entities e WHERE e.entity_ref = ${p.add(normalizeRef(ref))}${andWhere(filter, p)}`,
    p.values,
  );
  const r = rows[0];
  return r ? { file: r.source_file, line: r.source_line, text: r.source_text } : undefined;
}

/** The id of the location that emitted `ref` (case-insensitive); undefined when missing or not matching `filter`. */
export async function getEntityLocationId(db: Queryable, ref: string, filter?: FilterNode): Promise<string | undefined> {
  const p = new SqlParams();
  const rows = await db.query<{ location_id: string }>(
    `SELECT e.location_id FROM catalog_entities e WHERE e.entity_ref = ${p.add(normalizeRef(ref))}${andWhere(filter, p)}`,
    p.values,
  );
  return rows[0]?.location_id;
}

/**
 * Deletes one entity and the relations it produced; it comes back at its location's next refresh if still
 * emitted (as in Backstage). @returns false when no entity has this uid
 */
export async function deleteEntityByUid(db: Database, uid: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const gone = await tx.query<{ entity_ref: string }>('DELETE FROM catalog_entities WHERE uid = $1 RETURNING entity_ref', [uid]);
    if (gone.length === 0) return false;
    for (const st of deleteRelationsOf(gone.map((g) => g.entity_ref))) await tx.query(st.sql, st.params);
    await tx.query('UPDATE catalog_state SET generation = generation + 1 WHERE id = 1');
    return true;
  });
}
