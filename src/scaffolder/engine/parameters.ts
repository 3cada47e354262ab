/**
 * Server-side validation of a template's form values against `spec.parameters` (one schema or an array of
 * pages). As Backstage's scaffolder router does, the values are checked against every page; the errors of all
 * pages are reported together. Draft-07 with the standard formats; `ui:*` keys and Backstage's own keywords are
 * ignored (`strict: false`).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { TarmacError } from '../../core/errors.js';
import type { JsonSchema, TemplateEntity } from '../types.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;

function newAjv(useDefaults: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults, logger: false });
  addFormats(ajv);
  return ajv;
}
const validating = newAjv(false);
const defaulting = newAjv(true);

/** One form error: `path` is the dotted property path (`name`, `repo.owner`), '' for the whole form. */
export interface ParameterIssue {
  path: string;
  message: string;
}

/** The template's parameter pages (a single schema counts as one page). */
export function parameterPages(template: TemplateEntity): JsonSchema[] {
  const p = template.spec.parameters;
  if (!p) return [];
  return (Array.isArray(p) ? p : [p]).filter((page): page is JsonSchema => !!page && typeof page === 'object');
}

/** Most compiled page schemas kept per Ajv instance (a template's pages are compiled once per distinct content). */
const MAX_COMPILED = 200;
const compiledBy = new Map<Ajv, Map<string, ValidateFunction>>([
  [validating, new Map()],
  [defaulting, new Map()],
]);

/**
 * The compiled validator of one page, cached by the page's content: templates are read afresh from the catalog for
 * every run, so an identity-keyed cache would never hit. Ajv's own registry is emptied after each compile, so it does
 * not grow with every run and a page with an `$id` compiles again after its entry is evicted.
 */
function compile(ajv: Ajv, page: JsonSchema, pageIndex: number): ValidateFunction {
  const cache = compiledBy.get(ajv) as Map<string, ValidateFunction>;
  const key = JSON.stringify(page);
  const cached = cache.get(key);
  if (cached) return cached;
  const schema = { type: 'object', ...page };
  let fn: ValidateFunction;
  try {
    fn = ajv.compile(schema);
  } catch (err) {
    throw new TarmacError('BAD_REQUEST', `spec.parameters[${pageIndex}] is not a valid JSON Schema: ${(err as Error).message}`);
  } finally {
    ajv.removeSchema(schema);
  }
  if (cache.size >= MAX_COMPILED) cache.delete(cache.keys().next().value as string);
  cache.set(key, fn);
  return fn;
}

function toIssue(e: ErrorObject): ParameterIssue {
  const base = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = (e.params as { missingProperty?: string }).missingProperty;
  if (missing !== undefined) base.push(missing);
  return { path: base.join('.'), message: e.message ?? 'is invalid' };
}

/**
 * Checks `values` against every page of `spec.parameters`.
 * @throws TarmacError VALIDATION_FAILED (`details`: ParameterIssue[], one per problem, duplicates removed) — a form
 *   error to show beside the fields, not a failed run; BAD_REQUEST when a page is not a valid schema.
 */
export function validateParameters(template: TemplateEntity, values: Record<string, unknown>): void {
  const issues: ParameterIssue[] = [];
  parameterPages(template).forEach((page, i) => {
    const validate = compile(validating, page, i);
    if (!validate(values ?? {})) {
      for (const e of validate.errors ?? []) {
        if (e.keyword === 'if') continue; // "must match then schema" repeats the real error
        const issue = toIssue(e);
        if (!issues.some((x) => x.path === issue.path && x.message === issue.message)) issues.push(issue);
      }
    }
  });
  if (issues.length > 0) {
    const summary = issues.map((x) => (x.path ? `${x.path} ${x.message}` : x.message)).join('; ');
    throw new TarmacError('VALIDATION_FAILED', `The template's parameters are invalid: ${summary}`, { details: issues });
  }
}

/**
 * `values` with the schema `default`s of every page filled in (a copy; the input is not changed). Used when values
 * come from the CLI or the API rather than the portal's form, which fills defaults itself.
 */
export function withParameterDefaults(template: TemplateEntity, values: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(values ?? {})) as Record<string, unknown>;
  parameterPages(template).forEach((page, i) => {
    compile(defaulting, page, i)(copy);
  });
  return copy;
}
