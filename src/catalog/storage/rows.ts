import type { Entity, EntityRelation, EntityStatusItem, RelationType } from '../model/entity.js';
import { inverseRelationType } from '../query/index.js';

/** A row of the entity read queries (see `selectEntities`). */
export interface EntityRow {
  entity_ref: string;
  uid: string;
  etag: string;
  entity: Entity;
  sort_value: string | null;
  gen: number | null;
  /** `[~]type U+001F ref` items joined by U+001E, in no order, possibly repeated (see `selectEntities`). */
  rels: string | null;
  errs: string[] | null;
}

/** What to attach to each entity read: relations from `catalog_relations`, status from `catalog_errors`. */
export interface Attach {
  relations: boolean;
  status: boolean;
}

/**
 * Wraps `inner` (a query returning `entity_ref, uid, etag, entity, sort_value, gen` for one page) so that each
 * row also gets its relations and error messages — each read for the whole page in one set-based pass (CTEs), not
 * one sub-query per entity. Relations come unsorted, possibly repeated, stored rows pointing at the entity marked
 * `~` (to be read as their inverse); `toEntity` turns them into the entity's relations, deduped and sorted.
 * @param orderBy ORDER BY of the outer query over alias `p` (the inner order is not kept by SQL otherwise)
 */
export function selectEntities(inner: string, attach: Attach, orderBy?: string): string {
  const ctes = [`p AS MATERIALIZED (${inner})`];
  const joins: string[] = [];
  if (attach.relations) {
    // Outgoing rows as stored, plus canonical rows pointing at the entity (read backwards, marked with '~').
    ctes.push(`ra AS (SELECT x.ref, string_agg(x.item, chr(30)) AS rels FROM (
        SELECT r.source_ref AS ref, r.type || chr(31) || r.target_ref AS item
        FROM catalog_relations r WHERE r.source_ref = ANY(ARRAY(SELECT p.entity_ref FROM p))
        UNION ALL
        SELECT r.target_ref, '~' || r.type || chr(31) || r.source_ref
        FROM catalog_relations r WHERE r.target_ref = ANY(ARRAY(SELECT p.entity_ref FROM p))) x GROUP BY x.ref)`);
    joins.push('LEFT JOIN ra ON ra.ref = p.entity_ref');
  }
  if (attach.status) {
    ctes.push(`ea AS (SELECT c.entity_ref, json_agg(c.message ORDER BY c.id) AS errs FROM catalog_errors c
      WHERE c.entity_ref = ANY(ARRAY(SELECT p.entity_ref FROM p)) GROUP BY c.entity_ref)`);
    joins.push('LEFT JOIN ea ON ea.entity_ref = p.entity_ref');
  }
  const rels = attach.relations ? 'ra.rels' : 'NULL::text AS rels';
  const errs = attach.status ? 'ea.errs' : 'NULL::json AS errs';
  return `WITH ${ctes.join(', ')} SELECT p.*, ${rels}, ${errs} FROM p ${joins.join(' ')}${orderBy ? ` ORDER BY ${orderBy}` : ''}`;
}

/** The columns `selectEntities` expects from its inner query, for entity alias `e`. */
export const ENTITY_COLUMNS = 'e.entity_ref, e.uid, e.etag, e.entity';

/** `kind:namespace/name` → parts (refs are stored complete and lowercase). */
export function splitRef(ref: string): { kind: string; namespace: string; name: string } {
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/', colon + 1);
  return { kind: ref.slice(0, colon), namespace: ref.slice(colon + 1, slash), name: ref.slice(slash + 1) };
}

const META_ORDER = ['name', 'namespace', 'title', 'description', 'labels', 'annotations', 'tags', 'links'];

/**
 * Row → entity as the API returns it: the stored entity with `metadata.uid`/`etag`, `relations`
 * (`{ type, targetRef, target }`) when attached, and `status.items` when it has errors (omitted otherwise).
 * Keys come back in the usual order (apiVersion, kind, metadata, spec), not jsonb's.
 */
export function toEntity(row: EntityRow, attach: Attach): Entity {
  const { apiVersion, kind, metadata, spec, ...rest } = row.entity;
  const meta: Record<string, unknown> = {};
  for (const k of META_ORDER) if (metadata[k] !== undefined) meta[k] = metadata[k];
  Object.assign(meta, metadata, { uid: row.uid, etag: row.etag });
  const entity: Entity = { apiVersion, kind, metadata: meta as Entity['metadata'] };
  if (spec !== undefined) entity.spec = spec;
  Object.assign(entity, rest);
  if (attach.relations) {
    entity.relations = relationsOf(row.rels);
  }
  if (attach.status && row.errs && row.errs.length > 0) {
    entity.status = {
      items: row.errs.map(
        (message): EntityStatusItem => ({
          type: 'backstage.io/catalog-processing',
          level: 'error',
          message,
          error: { name: 'InputError', message },
        }),
      ),
    };
  }
  return entity;
}

/**
 * Decodes the `rels` column: `type U+001F targetRef` for stored rows from the entity, `~type U+001F sourceRef` for
 * stored rows pointing at it (read as the inverse type). Distinct, sorted by type then target ref.
 */
export function relationsOf(rels: string | null): EntityRelation[] {
  if (!rels) return [];
  const items = new Set<string>();
  for (const item of rels.split('\u001e')) {
    if (!item.startsWith('~')) {
      items.add(item);
      continue;
    }
    const sep = item.indexOf('\u001f');
    const inverse = inverseRelationType(item.slice(1, sep));
    if (inverse) items.add(`${inverse}${item.slice(sep)}`);
  }
  return [...items].sort().map((item): EntityRelation => {
    const [type = '', targetRef = ''] = item.split('\u001f');
    return { type: type as RelationType, targetRef, target: splitRef(targetRef) };
  });
}

/**
 * Normalises a ref for lookup: lowercase, and `default/` inserted when the namespace is missing
 * (`component:x` → `component:default/x`).
 */
export function normalizeRef(ref: string): string {
  const lower = ref.trim().toLowerCase();
  const colon = lower.indexOf(':');
  if (colon > 0 && !lower.includes('/', colon)) return `${lower.slice(0, colon + 1)}default/${lower.slice(colon + 1)}`;
  return lower;
}
