/**
 * Entity validation as current Backstage does it, reporting every problem with its field path.
 * Sources: Backstage `packages/catalog-model/src/entity/policies/` (`NoForeignRootFieldsEntityPolicy`,
 * `FieldFormatEntityPolicy`, `DefaultNamespaceEntityPolicy`, `SchemaValidEntityPolicy`), `schema/EntityMeta.schema.json`
 * and the kind schemas (see kind-rules.ts); Tarmac's issue #2 rules where they differ.
 * Hand-written rather than JSON Schema: the catalog's messages (field path + rule, all issues at once, placeholders
 * accepted in string fields) are what Tarmac exists for.
 */
import type { Entity } from './entity.js';
import { isObject, isPlaceholder, isValidApiVersion, isValidKind, RULES, typeName } from './formats.js';
import { KIND_RULES, type FieldRule } from './kind-rules.js';
import { checkFormat, checkMetadata } from './validate-metadata.js';
import { DEFAULT_KIND_BY_FIELD, DEFAULT_NAMESPACE, parseEntityRef, stringifyEntityRef } from './ref.js';

export { isPlaceholder } from './formats.js';

/**
 * One problem found in an entity. `path` is a dot path (`metadata.name`, `spec.owner`, `metadata.tags[2]`,
 * `metadata.links[0].url`, `metadata.labels.<key>`), `''` for the entity itself. `message` is a sentence for people
 * that starts with the path and names the rule, e.g.
 * `metadata.name "my service" must match ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$ (1–63 characters)`.
 */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Result of `validateEntity`: the cleaned entity, or every issue found. On failure, `ref` (lowercase
 * `kind:namespace/name`) is set when kind, name and namespace are themselves valid, so the caller can attach the
 * issues to that entity.
 */
export type ValidationResult = { ok: true; entity: Entity } | { ok: false; issues: ValidationIssue[]; ref?: string };

const ROOT_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];

/**
 * Validates one raw entity (as parsed from YAML or JSON). Never throws.
 * - Envelope: `apiVersion` `[dns-subdomain/]version`, `kind`, `metadata` object, optional `spec` object, and no other
 *   root key (`relations` and `status` are computed by the catalog and rejected in input).
 * - Metadata: see validate-metadata.ts. `metadata.uid` and `metadata.etag` are dropped (server-set).
 * - Spec: for the built-in kinds with their apiVersion (see kind-rules.ts; kinds match case-insensitively),
 *   required fields, types, and that ref fields parse as entity refs. Other kinds and apiVersions: envelope only.
 * - An unresolved placeholder (`{ $text: … }`, see `isPlaceholder`) satisfies any spec field and metadata's free-text
 *   fields (title, description, annotation values, links); ingestion reports the placeholder separately.
 * On success, returns a new entity (the input is not modified) with `metadata.namespace` set (default `default`).
 */
export function validateEntity(raw: unknown): ValidationResult {
  if (!isObject(raw)) {
    const message = `an entity must be an object (a mapping with apiVersion, kind, metadata and spec), got ${typeName(raw)}`;
    return { ok: false, issues: [{ path: '', message }] };
  }
  const issues: ValidationIssue[] = [];
  for (const key of Object.keys(raw)) {
    if (!ROOT_KEYS.includes(key)) {
      const why = key === 'relations' || key === 'status' ? ` (${key} is computed by the catalog)` : '';
      issues.push({
        path: key,
        message: `${key} is not allowed at the root of an entity; only apiVersion, kind, metadata and spec are${why}`,
      });
    }
  }
  const apiVersion = checkFormat(issues, 'apiVersion', raw.apiVersion, isValidApiVersion, RULES.apiVersion);
  const kind = checkFormat(issues, 'kind', raw.kind, isValidKind, RULES.kind);
  const meta = checkMetadata(raw.metadata, issues);
  const spec = raw.spec;
  if (spec !== undefined && !isObject(spec)) {
    issues.push({ path: 'spec', message: `spec must be an object, got ${typeName(spec)}` });
  }
  const rules = kind === undefined ? undefined : KIND_RULES[kind.toLowerCase()];
  if (rules && apiVersion !== undefined && rules.apiVersions.includes(apiVersion)) {
    if (spec === undefined) {
      const required = Object.entries(rules.fields).filter(([, r]) => r.required).map(([f]) => f);
      const needs = required.length > 0 ? ` (it needs ${required.join(', ')})` : '';
      issues.push({ path: 'spec', message: `spec is required for kind ${kind}${needs}` });
    } else if (isObject(spec)) {
      for (const [field, rule] of Object.entries(rules.fields)) checkField(issues, field, spec[field], rule);
      rules.check?.(spec, issues);
    }
  }
  if (issues.length > 0 || apiVersion === undefined || kind === undefined || meta.metadata === undefined) {
    const ref =
      kind !== undefined && meta.name !== undefined && meta.namespace !== undefined
        ? stringifyEntityRef({ kind, namespace: meta.namespace, name: meta.name })
        : undefined;
    return ref === undefined ? { ok: false, issues } : { ok: false, issues, ref };
  }
  const entity: Entity = { apiVersion, kind, metadata: meta.metadata };
  if (spec !== undefined) entity.spec = spec as Record<string, unknown>;
  return { ok: true, entity };
}

/** Checks one spec field against its rule; `field` is the key under `spec`. */
function checkField(issues: ValidationIssue[], field: string, value: unknown, rule: FieldRule): void {
  const path = `spec.${field}`;
  if (value === undefined) {
    if (rule.required) issues.push({ path, message: `${path} is required` });
    return;
  }
  if (isPlaceholder(value)) return;
  switch (rule.type) {
    case 'string':
      if (checkString(issues, path, value) && rule.oneOf && !rule.oneOf.includes(value)) {
        issues.push({ path, message: `${path} "${value}" must be one of ${rule.oneOf.join(', ')}` });
      }
      if (rule.ref && typeof value === 'string' && value !== '') checkRef(issues, path, field, value);
      return;
    case 'strings':
      if (!Array.isArray(value)) {
        issues.push({ path, message: `${path} must be an array of strings, got ${typeName(value)}` });
        return;
      }
      value.forEach((item: unknown, i) => {
        if (isPlaceholder(item)) return;
        if (checkString(issues, `${path}[${i}]`, item) && rule.ref) checkRef(issues, `${path}[${i}]`, field, item);
      });
      return;
    case 'array':
      if (!Array.isArray(value)) issues.push({ path, message: `${path} must be an array, got ${typeName(value)}` });
      return;
    case 'object':
      if (!isObject(value)) {
        issues.push({ path, message: `${path} must be an object, got ${typeName(value)}` });
        return;
      }
      for (const key of rule.strings ?? []) {
        if (value[key] !== undefined && !isPlaceholder(value[key])) checkString(issues, `${path}.${key}`, value[key]);
      }
  }
}

/** Pushes an issue unless `value` is a non-empty string; returns whether it is one. */
function checkString(issues: ValidationIssue[], path: string, value: unknown): value is string {
  if (typeof value === 'string' && value !== '') return true;
  const got = typeof value === 'string' ? 'an empty string' : typeName(value);
  issues.push({ path, message: `${path} must be a non-empty string, got ${got}` });
  return false;
}

/** Pushes an issue when `value` does not parse as an entity ref (with the field's default kind). */
function checkRef(issues: ValidationIssue[], path: string, field: string, value: string): void {
  try {
    parseEntityRef(value, { defaultKind: DEFAULT_KIND_BY_FIELD[field], defaultNamespace: DEFAULT_NAMESPACE });
  } catch {
    issues.push({
      path,
      message: `${path} "${value}" is not a valid entity ref; expected [<kind>:][<namespace>/]<name> with no empty part`,
    });
  }
}
