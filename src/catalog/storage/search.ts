import type { Queryable } from '../../core/db/index.js';
import type { FilterNode } from '../query/index.js';
import { SqlParams, compileFilter } from '../query/index.js';
import { checkLimit } from './page.js';

/** One search hit. `rank` is higher for better matches (ts_rank, plus 1 for an exact name match). */
export interface SearchHit {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  description?: string;
  owner?: string;
  rank: number;
}

/** Most words of a search term used. */
export const MAX_SEARCH_WORDS = 16;

/**
 * The tsquery for a term: its words (letters and digits, lowercased), each as a prefix, all required:
 * `"Pay api"` → `'pay':* & 'api':*`. Empty when the term has no word.
 */
export function toPrefixQuery(term: string): string {
  const words = term
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_SEARCH_WORDS);
  return words.map((w) => `'${w}':*`).join(' & ');
}

/**
 * Ranked full-text search over `search_doc` (to_tsvector 'simple'; name and title weigh most (A), then tags and
 * owner (B), then description (C)). Every word of `term` must match the start of a word. Order: rank desc, then
 * entity ref. `kind` restricts to one kind (case-insensitive); `filter` (a read restriction) to matching entities.
 * @throws TarmacError BAD_REQUEST on a bad limit
 */
export async function search(
  db: Queryable,
  q: { term: string; kind?: string; limit: number; offset: number; filter?: FilterNode },
): Promise<{ items: SearchHit[]; totalItems: number }> {
  const tsq = toPrefixQuery(q.term);
  if (!tsq) return { items: [], totalItems: 0 };
  const limit = checkLimit(q.limit);
  const offset = Math.max(0, Math.trunc(q.offset) || 0);
  const p = new SqlParams();
  p.add(tsq);
  p.add(q.term.trim().toLowerCase());
  p.add(limit);
  p.add(offset);
  let where = 'e.search_doc @@ q.q';
  if (q.kind) where += ` AND e.kind = ${p.add(q.kind.toLowerCase())}`;
  if (q.filter) where += ` AND ${compileFilter(q.filter, p)}`;
  const params = p.values;
  const rows = await db.query<{
    entity_ref: string;
    kind: string;
    namespace: string | null;
    name: string;
    title: string | null;
    description: string | null;
    owner: string | null;
    rank: number;
    total: number;
  }>(
    `SELECT e.entity_ref, e.entity->>'kind' AS kind, e.entity->'metadata'->>'namespace' AS namespace,
       e.entity->'metadata'->>'name' AS name, e.entity->'metadata'->>'title' AS title,
       e.entity->'metadata'->>'description' AS description,
       CASE WHEN jsonb_typeof(e.entity->'spec'->'owner') = 'string' THEN e.entity->'spec'->>'owner' END AS owner,
       (ts_rank(e.search_doc, q.q) + CASE WHEN e.name = $2 THEN 1 ELSE 0 END)::float8 AS rank,
       count(*) OVER ()::int AS total
     FROM catalog_entities e, (SELECT to_tsquery('simple', $1) AS q) q
     WHERE ${where}
     ORDER BY rank DESC, e.entity_ref LIMIT $3 OFFSET $4`,
    params,
  );
  let totalItems = rows[0]?.total;
  if (totalItems === undefined) {
    // Same WHERE and parameters ($2–$4 unused by it, but numbered the same): the page was past the last hit.
    const n = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM catalog_entities e, (SELECT to_tsquery('simple', $1) AS q) q
       WHERE ${where} AND $2::text IS NOT NULL AND $3::int IS NOT NULL AND $4::int IS NOT NULL`,
      params,
    );
    totalItems = n[0]?.n ?? 0;
  }
  return {
    items: rows.map((r) => ({
      entityRef: r.entity_ref,
      kind: r.kind,
      namespace: r.namespace ?? 'default',
      name: r.name,
      ...(r.title ? { title: r.title } : {}),
      ...(r.description ? { description: r.description } : {}),
      ...(r.owner ? { owner: r.owner } : {}),
      rank: r.rank,
    })),
    totalItems,
  };
}
