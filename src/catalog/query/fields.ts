import { badRequest } from '../../core/errors.js';
import type { Entity } from '../model/entity.js';
import { checkFieldPath } from './ast.js';

/**
 * Backstage's `fields=` projection: keeps only the listed dot paths of an entity, e.g.
 * `['kind', 'metadata.name']` → `{ kind, metadata: { name } }`. Paths missing from the entity are left out.
 * Source: Backstage `plugins/catalog-backend/src/service/request/parseEntityTransformParams.ts`.
 *
 * Unlike lodash `get`, a segment may itself contain dots when the object has such a key
 * (`metadata.annotations.backstage.io/techdocs-ref`). Paths are case-sensitive, as in Backstage.
 * Items may also be comma-separated lists (`['kind,metadata.name']`).
 *
 * @param entity the full entity (not modified; values are shared, not copied)
 * @param fields the paths; undefined or empty returns `entity` itself
 * @throws TarmacError BAD_REQUEST on an invalid path or an array index (`spec.x[0]`, unsupported as in Backstage)
 */
export function applyFieldSelection(entity: Entity, fields: string[] | undefined): Partial<Entity> {
  const paths = normalizeFields(fields);
  if (!paths) return entity;
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const found = lookup(entity, path.split('.'));
    if (found && found.value !== undefined) setPath(out, found.keys, found.value);
  }
  return out as Partial<Entity>;
}

/**
 * Splits comma lists, trims, drops empties and checks every path.
 * @returns the paths, or undefined when there are none
 * @throws TarmacError BAD_REQUEST on an invalid path
 */
export function normalizeFields(fields: string[] | undefined): string[] | undefined {
  if (!fields) return undefined;
  const paths = fields
    .flatMap((f) => String(f).split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  if (paths.length === 0) return undefined;
  for (const p of paths) {
    if (p.includes('[')) throw badRequest(`fields: array indexes are not supported ("${p}")`);
    checkFieldPath(p, 'fields');
  }
  return paths;
}

/**
 * True when a projection keeps (part of) `top`, e.g. `needsTopLevel(['relations.type'], 'relations')`.
 * Undefined fields keep everything.
 */
export function needsTopLevel(fields: string[] | undefined, top: string): boolean {
  const paths = normalizeFields(fields);
  return !paths || paths.some((p) => p === top || p.startsWith(`${top}.`));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Finds `segs` in `value`, trying single segments first and then dotted keys; returns the real keys used. */
function lookup(value: unknown, segs: string[]): { keys: string[]; value: unknown } | undefined {
  if (segs.length === 0) return { keys: [], value };
  if (!isObject(value)) return undefined;
  for (let n = 1; n <= segs.length; n++) {
    const key = segs.slice(0, n).join('.');
    if (Object.hasOwn(value, key)) {
      const rest = lookup(value[key], segs.slice(n));
      if (rest) return { keys: [key, ...rest.keys], value: rest.value };
    }
  }
  return undefined;
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let cur = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      cur[key] = value;
      return;
    }
    const next = cur[key];
    if (!isObject(next)) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  });
}
