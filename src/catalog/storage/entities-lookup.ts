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
  let where = `e.entity_ref = ANY(${p.add([...new Set(wanted)])}::text[])`;
  if (opts.filter) where += ` AND ${compileFilter(opts.filter, p)}`;
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
  const restrict = filter ? ` AND ${compileFilter(filter, p)}` : '';
  const inner =
    `SELECT ${ENTITY_COLUMNS}, NULL::text AS sort_value, NULL::bigint AS gen FROM catalog_entities e` +
    ` WHERE e.location_id = ${p.add(locationId)}${restrict} ORDER BY e.entity_ref LIMIT ${p.add(checkLimit(limit))}`;
  const rows = await db.query<EntityRow>(selectEntities(inner, attach, 'p.entity_ref'), p.values);
  return rows.map((r) => toEntity(r, attach));
}

/** Whether the entity `ref` (case-insensitive) exists and matches `filter`. */
export async function entityMatches(db: Queryable, ref: string, filter: FilterNode): Promise<boolean> {
  const p = new SqlParams();
  const where = `e.entity_ref = ${p.add(normalizeRef(ref))} AND ${compileFilter(filter, p)}`;
  return (await db.query(`SELECT 1 FROM catalog_entities e WHERE ${where}`, p.values)).length > 0;
}

/** One entity by ref (case-insensitive), with relations and status. */
export async function getEntityByRef(db: Queryable, ref: string): Promise<Entity | undefined> {
  const p = new SqlParams();
  const rows = await selectWhere(db, `e.entity_ref = ${p.add(normalizeRef(ref))}`, p, { relations: true, status: true });
  return rows[0] ? toEntity(rows[0], { relations: true, status: true }) : undefined;
}

/** One entity by `metadata.uid`, with relations and status. */
export async function getEntityByUid(db: Queryable, uid: string): Promise<Entity | undefined> {
  const p = new SqlParams();
  const rows = await selectWhere(db, `e.uid = ${p.add(uid)}`, p, { relations: true, status: true });
  return rows[0] ? toEntity(rows[0], { relations: true, status: true }) : undefined;
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
