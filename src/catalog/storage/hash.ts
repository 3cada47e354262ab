import { createHash } from 'node:crypto';
import type { Entity } from '../model/entity.js';
import type { IngestError, ProcessedEntity } from './types.js';

/**
 * The entity as stored and its JSON text: without the server-set `metadata.uid`/`metadata.etag` and the
 * output-only `relations`/`status`; NUL characters (which PostgreSQL text cannot hold) removed from strings.
 */
export function storedEntity(entity: Entity): { entity: Entity; json: string } {
  const { relations: _r, status: _s, ...rest } = entity;
  const { uid: _u, etag: _e, ...metadata } = entity.metadata;
  const clean: Entity = { ...rest, metadata };
  const json = JSON.stringify(clean);
  if (!json.includes('\\u0000')) return { entity: clean, json };
  const fixed = JSON.parse(json, (_k, v: unknown) => (typeof v === 'string' ? v.replaceAll('\u0000', '') : v)) as Entity;
  return { entity: fixed, json: JSON.stringify(fixed) };
}

/** An error in the shape stored (and compared) per row of `catalog_errors`. */
export interface ErrorRow {
  entity_ref: string | null;
  source_file: string | null;
  line: number | null;
  col: number | null;
  field_path: string | null;
  code: string;
  message: string;
}

/** `IngestError` → stored row; `entityRef` defaults to `ref` when given (errors attached to an entity). */
export function errorRow(e: IngestError, ref?: string): ErrorRow {
  const n = (v: number | undefined): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
  return {
    entity_ref: (e.entityRef ?? ref)?.toLowerCase() ?? null,
    source_file: e.sourceFile ?? null,
    line: n(e.line),
    col: n(e.col),
    field_path: e.fieldPath ?? null,
    code: e.code,
    message: e.message.replaceAll('\u0000', ''),
  };
}

/**
 * The change-detection hash of an entity as one location emits it: SHA-1 (base64url) over the stored entity's JSON
 * text (`json`, from `storedEntity`), its relations, its own errors and its source (file, line, text).
 * Equal hash → the stored row is left untouched (no write, same etag). Order counts: the same file read twice
 * gives the same hash; reordering keys or relations gives a new etag, which is harmless.
 */
export function entityHash(pe: ProcessedEntity, json: string): string {
  return createHash('sha1').update(json).update(JSON.stringify([pe.relations, pe.errors, pe.source])).digest('base64url');
}
