import type { Entity } from '../model/entity.js';
import type { ErrorRow } from './hash.js';
import { entityHash, storedEntity } from './hash.js';
import { splitRef } from './rows.js';
import { buildSearchKeys, searchDocVector } from './search-keys.js';
import type { ProcessedEntity } from './types.js';
import type { Statement } from './statements.js';
import { textArrayLiteral } from './statements.js';

/** Entities per INSERT/UPDATE statement. */
export const ENTITY_BATCH = 2000;

/**
 * A processed entity with its stored form (object and JSON text) and change-detection hash. `json` is consumed
 * (emptied) when a write statement is built from it, to keep memory flat during large applies.
 */
export interface PreparedEntity {
  pe: ProcessedEntity;
  ref: string;
  entity: Entity;
  json: string;
  hash: string;
}

/** Computes the stored form and hash of an entity (CPU only, done before the transaction). */
export function prepareEntity(pe: ProcessedEntity): PreparedEntity {
  const { entity, json } = storedEntity(pe.entity);
  return { pe, ref: pe.ref.toLowerCase(), entity, json, hash: entityHash(pe, json) };
}

/** A row to write: the prepared entity with the uid and etag it gets. */
export interface EntityWrite {
  p: PreparedEntity;
  uid: string;
  etag: string;
}

const UNIT_SEPARATOR = '\u001f';

/**
 * The parameters of the entity write statements: one array per column (text array literals), the search keys of
 * each entity joined by U+001F, and the entities as one JSON array (each entity's JSON text reused as is).
 */
function columns(batch: EntityWrite[]): unknown[] {
  const cols: Array<Array<string | null>> = Array.from({ length: 11 }, () => []);
  const lines: Array<number | null> = [];
  const entities: string[] = [];
  for (const { p, uid, etag } of batch) {
    const { kind, namespace, name } = splitRef(p.ref);
    const keys = buildSearchKeys(p.entity).join(UNIT_SEPARATOR);
    const text = p.pe.source.text;
    const values = [p.ref, uid, etag, kind, namespace, name, p.hash, p.pe.source.file, text ? text.replaceAll('\u0000', '') : null, keys, searchDocVector(p.entity)];
    values.forEach((v, i) => cols[i]?.push(v));
    lines.push(Number.isInteger(p.pe.source.line) ? (p.pe.source.line as number) : null);
    entities.push(p.json);
    p.json = ''; // consumed: free the text once the statement holds it
  }
  return [...cols.map(textArrayLiteral), `{${lines.map((l) => (l === null ? 'NULL' : String(l))).join(',')}}`, `[${entities.join(',')}]`];
}

const ROWS = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::text[], $10::text[], $11::text[], $12::int[],
    ARRAY(SELECT v FROM jsonb_array_elements($13::jsonb) WITH ORDINALITY AS t(v, i) ORDER BY i))
  AS x(ref, uid, etag, kind, ns, name, hash, sf, st, keys, doc, sl, entity)`;

/**
 * INSERT of new entities of `locationId`; refs already present (owned by another location) are skipped
 * (`ON CONFLICT DO NOTHING`). Returns (RETURNING) the refs actually inserted.
 */
export function insertEntities(locationId: string, batch: EntityWrite[]): Statement {
  return {
    sql: `INSERT INTO catalog_entities (entity_ref, uid, etag, location_id, kind, namespace, name, hash, entity,
       source_file, source_line, source_text, search_keys, search_doc, sort_name)
     SELECT x.ref, x.uid, x.etag, $14, x.kind, x.ns, x.name, x.hash, x.entity, x.sf, x.sl, x.st,
       string_to_array(x.keys, chr(31)), x.doc::tsvector, x.name
     FROM ${ROWS}
     ON CONFLICT (entity_ref) DO NOTHING RETURNING entity_ref`,
    params: [...columns(batch), locationId],
  };
}

/** UPDATE of changed entities of `locationId` (same uid, new etag). */
export function updateEntities(locationId: string, batch: EntityWrite[]): Statement {
  return {
    sql: `UPDATE catalog_entities e SET etag = x.etag, hash = x.hash, entity = x.entity, source_file = x.sf,
       source_line = x.sl, source_text = x.st, search_keys = string_to_array(x.keys, chr(31)), search_doc = x.doc::tsvector,
       updated_at = now()
     FROM ${ROWS}
     WHERE e.entity_ref = x.ref AND e.location_id = $14`,
    params: [...columns(batch), locationId],
  };
}

/** DELETE of entities of `locationId`, in batches. */
export function deleteEntities(locationId: string, refs: string[]): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < refs.length; i += ENTITY_BATCH) {
    out.push({
      sql: 'DELETE FROM catalog_entities WHERE location_id = $2 AND entity_ref = ANY($1::text[])',
      params: [textArrayLiteral(refs.slice(i, i + ENTITY_BATCH)), locationId],
    });
  }
  return out;
}

/** Statements replacing the stored errors of a location with `rows`. */
export function replaceErrors(locationId: string, rows: ErrorRow[]): Statement[] {
  const out: Statement[] = [{ sql: 'DELETE FROM catalog_errors WHERE location_id = $1', params: [locationId] }];
  for (let i = 0; i < rows.length; i += ENTITY_BATCH) {
    out.push({
      sql: `INSERT INTO catalog_errors (location_id, entity_ref, source_file, line, col, field_path, code, message)
       SELECT $2, x.entity_ref, x.source_file, x.line, x.col, x.field_path, x.code, x.message
       FROM json_to_recordset($1::json) AS x(entity_ref text, source_file text, line int, col int, field_path text,
         code text, message text)`,
      params: [JSON.stringify(rows.slice(i, i + ENTITY_BATCH)), locationId],
    });
  }
  return out;
}
