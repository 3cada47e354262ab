/**
 * `metadata` validation, part of `validateEntity` (validate.ts).
 * Sources: Backstage `packages/catalog-model/src/entity/policies/FieldFormatEntityPolicy.ts` (name, namespace, labels,
 * annotations, tags, links), `schema/EntityMeta.schema.json` (types: title non-empty, description a string, links[]
 * title/icon/type non-empty) and `DefaultNamespaceEntityPolicy.ts` (namespace defaults to `default`).
 */
import type { EntityMeta } from './entity.js';
import {
  isObject,
  isPlaceholder,
  isValidDnsLabel,
  isValidKey,
  isValidLabelValue,
  isValidName,
  isValidTag,
  isValidUrl,
  RULES,
  typeName,
} from './formats.js';
import { DEFAULT_NAMESPACE } from './ref.js';
import type { ValidationIssue } from './validate.js';

const MAX_SHOWN = 80;
const show = (value: string): string => JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);

/**
 * Checks a required string field against a format; pushes an issue and returns `undefined` when it is missing, not a
 * string, or breaks `rule` (a text such as `must match ^…$ (1–63 characters)`). Returns the value when valid.
 */
export function checkFormat(
  issues: ValidationIssue[],
  path: string,
  value: unknown,
  isValid: (v: string) => boolean,
  rule: string,
): string | undefined {
  if (value === undefined || value === null) {
    issues.push({ path, message: `${path} is required` });
  } else if (typeof value !== 'string') {
    issues.push({ path, message: `${path} must be a string, got ${typeName(value)}` });
  } else if (!isValid(value)) {
    const length = value.length > 63 ? `; it has ${value.length} characters` : '';
    issues.push({ path, message: `${path} ${show(value)} ${rule}${length}` });
  } else {
    return value;
  }
  return undefined;
}

/** What `checkMetadata` found: valid name and namespace (defaulted), and the cleaned metadata when all is valid. */
export interface MetadataCheck {
  name?: string;
  namespace?: string;
  metadata?: EntityMeta;
}

/**
 * Validates `metadata`, pushing every issue. The returned `metadata` is a copy without `uid`/`etag` and with
 * `namespace` set; it is returned only when name and namespace are valid (other issues are reported by `issues`).
 */
export function checkMetadata(raw: unknown, issues: ValidationIssue[]): MetadataCheck {
  if (raw === undefined || raw === null) {
    issues.push({ path: 'metadata', message: 'metadata is required (an object with at least a name)' });
    return {};
  }
  if (!isObject(raw)) {
    issues.push({ path: 'metadata', message: `metadata must be an object, got ${typeName(raw)}` });
    return {};
  }
  const name = checkFormat(issues, 'metadata.name', raw.name, isValidName, RULES.name);
  const namespace =
    raw.namespace === undefined
      ? DEFAULT_NAMESPACE
      : checkFormat(issues, 'metadata.namespace', raw.namespace, isValidDnsLabel, RULES.namespace);
  checkText(issues, 'metadata.title', raw.title, true);
  checkText(issues, 'metadata.description', raw.description, false);
  checkMap(issues, 'labels', raw.labels);
  checkMap(issues, 'annotations', raw.annotations);
  checkTags(issues, raw.tags);
  checkLinks(issues, raw.links);
  if (name === undefined || namespace === undefined) return { name, namespace };
  const { uid: _uid, etag: _etag, ...rest } = raw;
  return { name, namespace, metadata: { ...rest, name, namespace } };
}

/** An optional free-text field: a string (non-empty when `nonEmpty`) or an unresolved placeholder. */
function checkText(issues: ValidationIssue[], path: string, value: unknown, nonEmpty: boolean): void {
  if (value === undefined || isPlaceholder(value)) return;
  if (typeof value !== 'string') {
    issues.push({ path, message: `${path} must be a string, got ${typeName(value)}` });
  } else if (nonEmpty && value === '') {
    issues.push({ path, message: `${path} must not be empty` });
  }
}

/** `labels` / `annotations`: keys `[dns-subdomain/]name`; label values empty or a name, annotation values strings. */
function checkMap(issues: ValidationIssue[], field: 'labels' | 'annotations', value: unknown): void {
  const path = `metadata.${field}`;
  if (value === undefined) return;
  if (!isObject(value)) {
    issues.push({ path, message: `${path} must be an object of string values, got ${typeName(value)}` });
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (!isValidKey(key)) issues.push({ path: at, message: `${path} key ${show(key)} ${RULES.key}` });
    if (field === 'annotations') {
      if (typeof v !== 'string' && !isPlaceholder(v)) {
        issues.push({ path: at, message: `${at} must be a string, got ${typeName(v)}` });
      }
    } else if (typeof v !== 'string') {
      issues.push({ path: at, message: `${at} must be a string, got ${typeName(v)}` });
    } else if (!isValidLabelValue(v)) {
      issues.push({ path: at, message: `${at} ${show(v)} ${RULES.labelValue}` });
    }
  }
}

/** `tags`: an array of tags. */
function checkTags(issues: ValidationIssue[], value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    issues.push({ path: 'metadata.tags', message: `metadata.tags must be an array of strings, got ${typeName(value)}` });
    return;
  }
  value.forEach((tag: unknown, i) => checkFormat(issues, `metadata.tags[${i}]`, tag, isValidTag, RULES.tag));
}

/** `links`: objects with a valid `url` and non-empty `title`, `icon` and `type` when present. */
function checkLinks(issues: ValidationIssue[], value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    issues.push({ path: 'metadata.links', message: `metadata.links must be an array of objects, got ${typeName(value)}` });
    return;
  }
  value.forEach((link: unknown, i) => {
    const path = `metadata.links[${i}]`;
    if (!isObject(link)) {
      issues.push({ path, message: `${path} must be an object with a url, got ${typeName(link)}` });
      return;
    }
    if (!isPlaceholder(link.url)) checkFormat(issues, `${path}.url`, link.url, isValidUrl, RULES.url);
    for (const key of ['title', 'icon', 'type']) checkText(issues, `${path}.${key}`, link[key], true);
  });
}
