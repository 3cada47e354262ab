import type { Queryable } from '../../core/db/index.js';
import { badRequest } from '../../core/errors.js';
import type { FilterNode } from '../query/index.js';
import {
  SqlParams,
  canonicalFilter,
  canonicalRelationType,
  checkFieldPath,
  compileFilter,
  fieldJsonPath,
  storedRelation,
} from '../query/index.js';
import type { GenerationCache } from './gen-cache.js';

/** Facet values with the number of matching entities having each. */
export type Facets = Record<string, Array<{ value: string; count: number }>>;

/** Most facets one request may ask for. */
export const MAX_FACETS = 20;

/**
 * Backstage `GET /entity-facets`: for each facet field, its distinct values over the entities matching `filter`
 * and how many entities have each (an entity counts once per value; array fields count each item). Values are
 * as written (`Component`, not `component`); only string, number and boolean values count. `relations.<type>`
 * facets count the distinct source entities per target ref (e.g. `relations.ownedBy` for an owner picker).
 * Field facets are read from the entity JSON in one scan (paths case-sensitive, e.g. `spec.lifecycle`).
 * Results are cached per (facets, filter) until the next write (`generation`, the store's catalog generation). Order: count desc, then value.
 * @throws TarmacError BAD_REQUEST on an invalid facet path or more than MAX_FACETS facets
 */
export async function getFacets(
  db: Queryable,
  generation: () => Promise<number>,
  cache: GenerationCache<Facets>,
  facets: string[],
  filter?: FilterNode,
): Promise<Facets> {
  const names = [...new Set(facets.map((f) => checkFieldPath(f, 'facet')))];
  if (names.length > MAX_FACETS) throw badRequest(`facet: at most ${MAX_FACETS} facets per request`);
  const key = `${JSON.stringify(names)}\n${canonicalFilter(filter)}`;
  const gen = await generation();
  const cached = cache.get(key, gen);
  if (cached) return cached;

  const out: Facets = Object.fromEntries(names.map((n) => [n, []]));
  const relationFacets = names.filter((n) => /^relations\./i.test(n));
  const fieldFacets = names.filter((n) => !/^relations\./i.test(n) && n.toLowerCase() !== 'relations');
  if (fieldFacets.length > 0) {
    const p = new SqlParams();
    const union = fieldFacets
      .map((f, i) => `SELECT ${i} AS f, v FROM jsonb_path_query(e.entity, ${p.add(fieldJsonPath(f))}::jsonpath) AS v`)
      .join(' UNION ALL ');
    const where = filter ? ` AND ${compileFilter(filter, p)}` : '';
    const rows = await db.query<{ f: number; value: string; count: number }>(
      `SELECT s.f, s.value, count(*)::int AS count FROM (
         SELECT DISTINCT e.entity_ref, x.f, x.v #>> '{}' AS value
         FROM catalog_entities e CROSS JOIN LATERAL (${union}) x
         WHERE jsonb_typeof(x.v) IN ('string', 'number', 'boolean')${where}
       ) s GROUP BY s.f, s.value`,
      p.values,
    );
    for (const r of rows) out[fieldFacets[r.f] ?? '']?.push({ value: r.value, count: r.count });
  }
  for (const facet of relationFacets) {
    const type = canonicalRelationType(facet.slice('relations.'.length));
    if (!type) continue;
    // `relations.ownedBy`: targets of (entity, ownedBy, X) rows; `relations.ownerOf`: sources of (X, ownedBy, entity).
    const stored = storedRelation(type);
    const [self, other] = stored.forward ? ['source_ref', 'target_ref'] : ['target_ref', 'source_ref'];
    const p = new SqlParams();
    const where = filter ? ` AND ${compileFilter(filter, p)}` : '';
    const rows = await db.query<{ value: string; count: number }>(
      `SELECT x.${other} AS value, count(DISTINCT x.${self})::int AS count
       FROM catalog_relations x JOIN catalog_entities e ON e.entity_ref = x.${self}
       WHERE x.type = ${p.add(stored.type)}${where}
       GROUP BY x.${other}`,
      p.values,
    );
    out[facet] = rows.map((r) => ({ value: r.value, count: r.count }));
  }
  for (const list of Object.values(out)) list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  cache.set(key, gen, out);
  return out;
}
