import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, type Entity } from '../model/entity.js';
import { resolvePlaceholders, type PlaceholderReader } from '../model/placeholders.js';
import { stringifyEntityRef } from '../model/ref.js';
import { computeRelations } from '../model/relations.js';
import { validateEntity } from '../model/validate.js';
import type { YamlDocument } from '../model/yaml.js';
import { YamlPositions } from '../model/positions.js';
import type { IngestError, ProcessedEntity } from '../storage/types.js';

/** Where a document comes from and how its placeholders are read. */
export interface DocumentContext {
  /** `<type>:<target>` of the file holding the document (becomes `backstage.io/managed-by-location`). */
  sourceKey: string;
  /** `<type>:<target>` of the root location (becomes `backstage.io/managed-by-origin-location`). */
  originKey: string;
  /** Reads a `$text`/`$json`/`$yaml` target, resolved relative to the file (see sources.ts `resolveRelative`). */
  read: PlaceholderReader;
}

/** What one YAML document gave: a processed entity, or the reasons it could not be one. */
export type DocumentOutcome =
  | { ok: true; processed: ProcessedEntity }
  | { ok: false; errors: IngestError[]; ref?: string };

/** True when some object key in `value` is `$text`, `$json` or `$yaml` (skips the async walk for most entities). */
function hasPlaceholder(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasPlaceholder);
  if (value === null || typeof value !== 'object') return false;
  for (const [k, v] of Object.entries(value)) {
    if (k === '$text' || k === '$json' || k === '$yaml' || hasPlaceholder(v)) return true;
  }
  return false;
}

/**
 * Turns one YAML document into a `ProcessedEntity`, in Backstage's order (placeholders, then validation):
 * 1. resolves placeholders; an unresolvable one stays as written and becomes a `placeholder` error on the entity
 *    (docs/catalog-design.md: "Unresolvable placeholders are shown, not held back");
 * 2. validates (model/validate.ts); an invalid entity gives one `validation` error per issue, with `fieldPath`, the
 *    line and column of the offending field (the document's line when it has none), and the entity's ref when known;
 * 3. sets `backstage.io/managed-by-location` and `backstage.io/managed-by-origin-location`, overwriting values
 *    written in the file (as Backstage does);
 * 4. computes relations (both directions).
 * Never throws.
 */
export async function processDocument(doc: YamlDocument, ctx: DocumentContext): Promise<DocumentOutcome> {
  const at = { sourceFile: ctx.sourceKey, line: doc.line };
  // Field-level positions, worked out only for documents that have problems (a second, careful parse).
  let positions: YamlPositions | undefined;
  const where = (fieldPath: string | undefined): { sourceFile: string; line: number; col?: number } => {
    if (!fieldPath) return at;
    const p = (positions ??= new YamlPositions(doc.text)).findPosition(1, fieldPath);
    return { sourceFile: ctx.sourceKey, line: doc.line + p.line - 1, col: p.col };
  };
  const resolved = hasPlaceholder(doc.value)
    ? await resolvePlaceholders(doc.value, ctx.read)
    : { value: doc.value, errors: [] };
  const checked = validateEntity(resolved.value);
  const placeholderErrors = (ref: string | undefined): IngestError[] =>
    resolved.errors.map((e) => ({
      code: 'placeholder',
      message: e.path ? `${e.path}: ${e.message}` : e.message,
      ...where(e.path),
      ...(e.path ? { fieldPath: e.path } : {}),
      ...(ref ? { entityRef: ref } : {}),
    }));
  if (!checked.ok) {
    const errors: IngestError[] = checked.issues.map((issue) => ({
      code: 'validation',
      message: issue.message,
      ...where(issue.path),
      ...(issue.path ? { fieldPath: issue.path } : {}),
      ...(checked.ref ? { entityRef: checked.ref } : {}),
    }));
    errors.push(...placeholderErrors(checked.ref));
    return checked.ref ? { ok: false, errors, ref: checked.ref } : { ok: false, errors };
  }
  const entity: Entity = checked.entity;
  entity.metadata = {
    ...entity.metadata,
    annotations: {
      ...entity.metadata.annotations,
      [ANNOTATION_LOCATION]: ctx.sourceKey,
      [ANNOTATION_ORIGIN_LOCATION]: ctx.originKey,
    },
  };
  const ref = stringifyEntityRef(entity);
  return {
    ok: true,
    processed: {
      ref,
      entity,
      relations: computeRelations(entity),
      source: { file: ctx.sourceKey, line: doc.line, text: doc.text },
      errors: placeholderErrors(ref),
    },
  };
}
