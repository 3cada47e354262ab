import type { JsonSchema, TemplateEntity } from '../types.js';

/** What masked values are replaced with in stored runs and API answers. */
export const MASK = '******';

function isSecretField(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const s = schema as Record<string, unknown>;
  const options = (s['ui:options'] ?? {}) as Record<string, unknown>;
  return s['ui:field'] === 'Secret' || s['ui:widget'] === 'password' || s.format === 'password' || options.widget === 'password';
}

/** Every `properties` map of a schema, including those under `dependencies…oneOf/anyOf/allOf` and `then`/`else`. */
function propertyMaps(schema: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Record<string, unknown>;
  if (s.properties && typeof s.properties === 'object') out.push(s.properties as Record<string, unknown>);
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    if (Array.isArray(s[key])) for (const sub of s[key] as unknown[]) propertyMaps(sub, out);
  }
  for (const key of ['then', 'else', 'if']) propertyMaps(s[key], out);
  if (s.dependencies && typeof s.dependencies === 'object') {
    for (const dep of Object.values(s.dependencies as Record<string, unknown>)) propertyMaps(dep, out);
  }
  return out;
}

/**
 * Top-level parameter names whose schema marks them secret: `ui:field: Secret`, `ui:widget: password` or
 * `format: password` (Backstage's Secret field / password widget), on any page or conditional branch.
 */
export function secretFieldNames(template: TemplateEntity): Set<string> {
  const pages = Array.isArray(template.spec.parameters) ? template.spec.parameters : template.spec.parameters ? [template.spec.parameters] : [];
  const names = new Set<string>();
  for (const page of pages as JsonSchema[]) {
    for (const props of propertyMaps(page)) {
      for (const [name, field] of Object.entries(props)) if (isSecretField(field)) names.add(name);
    }
  }
  return names;
}

/** `values` with every secret field replaced by `MASK` (stored runs, API answers). */
export function maskValues(values: Record<string, unknown>, secret: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, secret.has(k) ? MASK : v]));
}

/** `values` without the secret fields (the committed origin file). */
export function withoutSecrets(values: Record<string, unknown>, secret: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !secret.has(k)));
}

/**
 * A function replacing every secret string (secret field values and `secrets`, 4 characters or longer — shorter
 * ones would blank ordinary words) with `MASK` in a log message. Longest first, so a secret containing another is
 * masked whole.
 */
export function secretRedactor(values: Record<string, unknown>, secret: Set<string>, secrets: Record<string, string>): (text: string) => string {
  const found = [
    ...[...secret].map((k) => values[k]).filter((v): v is string => typeof v === 'string'),
    ...Object.values(secrets),
  ]
    .filter((s) => s.length >= 4)
    .sort((a, b) => b.length - a.length);
  if (found.length === 0) return (t) => t;
  return (text) => found.reduce((t, s) => t.split(s).join(MASK), text);
}
