/**
 * Field format predicates for entity envelopes and metadata, each with the rule text used in messages.
 * Source: Backstage `packages/catalog-model/src/validation/KubernetesValidatorFunctions.ts`,
 * `CommonValidatorFunctions.ts` and `entity/policies/FieldFormatEntityPolicy.ts` (catalog-model 1.10.1).
 */

/** `metadata.name` (and the name part of label/annotation keys): 1–63 characters. */
export const NAME_PATTERN = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** A DNS label (namespaces, parts of DNS subdomains): lowercase, 1–63 characters; runs of `-` allowed. */
export const DNS_LABEL_PATTERN = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/;
/** `kind`: 1–63 characters. */
export const KIND_PATTERN = /^[a-zA-Z][a-z0-9A-Z]*$/;
/** The version part of `apiVersion` (after the optional `prefix/`): 1–63 characters. */
export const API_VERSION_SUFFIX_PATTERN = /^[a-z0-9A-Z]+$/;
/** `metadata.tags[]`: 1–63 characters; `:` allowed since Backstage d1d488e371. */
export const TAG_PATTERN = /^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$/;

const within = (value: string, max: number): boolean => value.length >= 1 && value.length <= max;

/** True for a valid entity name (`metadata.name`). */
export function isValidName(value: string): boolean {
  return within(value, 63) && NAME_PATTERN.test(value);
}

/** True for a DNS label (`metadata.namespace`). */
export function isValidDnsLabel(value: string): boolean {
  return within(value, 63) && DNS_LABEL_PATTERN.test(value);
}

/** True for a DNS subdomain: ≤ 253 characters, dot-separated DNS labels. */
export function isValidDnsSubdomain(value: string): boolean {
  return within(value, 253) && value.split('.').every(isValidDnsLabel);
}

/** True for a valid `kind`. */
export function isValidKind(value: string): boolean {
  return within(value, 63) && KIND_PATTERN.test(value);
}

/** True for `[dns-subdomain/]suffix`, where the suffix passes `isValidSuffix`. */
function isValidPrefixAndOrSuffix(value: string, isValidSuffix: (s: string) => boolean): boolean {
  const parts = value.split('/');
  if (parts.length === 1) return isValidSuffix(value);
  if (parts.length === 2) return isValidDnsSubdomain(parts[0] ?? '') && isValidSuffix(parts[1] ?? '');
  return false;
}

/** True for `apiVersion`: `[dns-subdomain/]version`. */
export function isValidApiVersion(value: string): boolean {
  return isValidPrefixAndOrSuffix(value, (s) => within(s, 63) && API_VERSION_SUFFIX_PATTERN.test(s));
}

/** True for a label or annotation key: `[dns-subdomain/]name`. */
export function isValidKey(value: string): boolean {
  return isValidPrefixAndOrSuffix(value, isValidName);
}

/** True for a label value: empty, or a valid name. */
export function isValidLabelValue(value: string): boolean {
  return value === '' || isValidName(value);
}

/** True for a tag. */
export function isValidTag(value: string): boolean {
  return within(value, 63) && TAG_PATTERN.test(value);
}

/** True when `new URL(value)` accepts the string. */
export function isValidUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** Rule texts shown in validation messages. */
export const RULES = {
  name: `must match ${NAME_PATTERN.source} (1–63 characters)`,
  namespace: `must be a DNS label: lowercase letters and digits separated by '-', matching ${DNS_LABEL_PATTERN.source} (1–63 characters)`,
  kind: `must match ${KIND_PATTERN.source} (1–63 characters)`,
  apiVersion: `must be [dns-subdomain/]version, where version matches ${API_VERSION_SUFFIX_PATTERN.source} (1–63 characters), e.g. backstage.io/v1alpha1`,
  key: `must be [dns-subdomain/]name, where name matches ${NAME_PATTERN.source} (1–63 characters)`,
  labelValue: `must be empty or match ${NAME_PATTERN.source} (1–63 characters)`,
  tag: `must match ${TAG_PATTERN.source} (1–63 characters)`,
  url: 'must be a valid absolute URL (as accepted by new URL())',
} as const;

/** A short name for the JSON type of a value, for messages: `null`, `array`, `object`, `string`, … */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** True for a plain (non-array, non-null) object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The placeholder keys, without the `$` (Backstage `PlaceholderProcessor` default resolvers). */
export const PLACEHOLDER_KEYS = ['$text', '$json', '$yaml'] as const;

/**
 * True for an unresolved placeholder: an object with exactly one key, `$text`, `$json` or `$yaml`, whose value is
 * a string (the target). Source: Backstage `plugins/catalog-backend/src/processors/PlaceholderProcessor.ts`.
 */
export function isPlaceholder(value: unknown): value is Record<'$text' | '$json' | '$yaml', string> {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (PLACEHOLDER_KEYS as readonly string[]).includes(keys[0] ?? '') && typeof value[keys[0] ?? ''] === 'string';
}
