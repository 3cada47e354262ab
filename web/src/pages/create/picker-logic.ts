/**
 * Pure helpers of the template form: Backstage's inline `ui:` keys split from the JSON Schema, catalog filters of
 * the pickers, RepoUrlPicker values, entity-name checks, and server field errors mapped onto the form.
 */
import type { ErrorSchema, FormValidation, UiSchema } from '@rjsf/utils';
import { isValidName } from '../../../../src/catalog/model/formats.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Splits a step schema whose properties carry `ui:` keys (Backstage template style) into a clean JSON Schema and an
 * rjsf uiSchema, descending through properties, items, dependencies, if/then/else, allOf/anyOf/oneOf (the branches
 * share the parent's uiSchema, as Backstage's `extractSchemaFromStep` does). The input is not modified.
 */
export function splitUiSchema(input: Json): { schema: Json; uiSchema: UiSchema } {
  const uiSchema: UiSchema = {};
  return { schema: walk(input, uiSchema), uiSchema };
}

function walk(node: Json, ui: UiSchema): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('ui:')) {
      ui[key] = value;
    } else if (key === 'properties' && isObject(value)) {
      const props: Json = {};
      for (const [name, sub] of Object.entries(value)) {
        if (!isObject(sub)) {
          props[name] = sub;
          continue;
        }
        const subUi = (ui[name] ?? {}) as UiSchema;
        props[name] = walk(sub, subUi);
        if (Object.keys(subUi).length) ui[name] = subUi;
      }
      out[key] = props;
    } else if (key === 'items' && isObject(value)) {
      const itemsUi = (ui.items ?? {}) as UiSchema;
      out[key] = walk(value, itemsUi);
      if (Object.keys(itemsUi).length) ui.items = itemsUi;
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map((branch) => (isObject(branch) ? walk(branch, ui) : branch));
    } else if ((key === 'then' || key === 'else' || key === 'if') && isObject(value)) {
      out[key] = walk(value, ui);
    } else if (key === 'dependencies' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, dep]) => [k, isObject(dep) ? walk(dep, ui) : dep]));
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Catalog `filter=` strings for EntityPicker/OwnerPicker `ui:options` (Backstage: `catalogFilter` object or array
 * of objects — each an AND of `key: value | value[]`, the array an OR — else `allowedKinds`, else `defaultKinds`).
 */
export function catalogFilters(options: Json, defaultKinds: string[]): string[] {
  const raw = options.catalogFilter;
  const filters = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter(isObject);
  if (filters.length) {
    return filters.map((f) =>
      Object.entries(f)
        .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => (x === true || x === undefined ? k : `${k}=${String(x)}`)))
        .join(','),
    );
  }
  const kinds = Array.isArray(options.allowedKinds) ? options.allowedKinds.map(String) : defaultKinds;
  return kinds.length ? [kinds.map((k) => `kind=${k}`).join(',')] : [];
}

/** The parts of a RepoUrlPicker value `host?owner=o&repo=r` (Backstage `parseRepoUrl`); missing parts are ''. */
export function parseRepoUrl(value: string): { host: string; owner: string; repo: string } {
  const q = value.indexOf('?');
  const host = q === -1 ? value : value.slice(0, q);
  const params = new URLSearchParams(q === -1 ? '' : value.slice(q + 1));
  return { host, owner: params.get('owner') ?? '', repo: params.get('repo') ?? '' };
}

/** `host?owner=o&repo=r`, the RepoUrlPicker value format templates pass to `publish:*` and `parseRepoUrl`. */
export function serializeRepoUrl(p: { host: string; owner: string; repo: string }): string {
  return `${p.host}?${new URLSearchParams({ owner: p.owner, repo: p.repo }).toString()}`;
}

/** Why `name` is not a valid entity name (the catalog's own rule, `isValidName`), or undefined when it is. */
export function entityNameProblem(name: string): string | undefined {
  if (isValidName(name)) return undefined;
  return 'must start and end with a letter or digit, contain only letters, digits, "-", "_" and ".", and be at most 63 characters';
}

/**
 * rjsf `customValidate`: adds the EntityNamePicker check to every field whose uiSchema says
 * `ui:field: EntityNamePicker` (nested objects too).
 */
export function validatePickers(formData: unknown, errors: FormValidation, uiSchema?: UiSchema): FormValidation {
  if (!isObject(formData) || !uiSchema) return errors;
  for (const [key, sub] of Object.entries(uiSchema)) {
    if (key.startsWith('ui:') || !isObject(sub)) continue;
    const value = formData[key];
    const fieldErrors = (errors as unknown as Record<string, FormValidation | undefined>)[key];
    if (!fieldErrors) continue;
    if (sub['ui:field'] === 'EntityNamePicker' && typeof value === 'string' && value !== '') {
      const problem = entityNameProblem(value);
      if (problem) fieldErrors.addError(problem);
    } else if (isObject(value)) {
      validatePickers(value, fieldErrors, sub as UiSchema);
    }
  }
  return errors;
}

/**
 * Server field problems (`details: [{ path: '/name' | 'name' | '.a.b', message }]`) as an rjsf `extraErrors`
 * tree; problems without a path go on the form's root.
 */
export function problemsToErrorSchema(problems: Array<{ path: string; message: string }>): ErrorSchema {
  const root: Json = {};
  for (const p of problems) {
    const segments = p.path.split(/[/.]/).filter(Boolean);
    let node = root;
    for (const s of segments) {
      const next = isObject(node[s]) ? (node[s] as Json) : {};
      node[s] = next;
      node = next;
    }
    const list = Array.isArray(node.__errors) ? (node.__errors as string[]) : [];
    list.push(p.message);
    node.__errors = list;
  }
  return root as ErrorSchema;
}

/** The first path segment of a problem (`/name` → `name`), to find the form page holding that field. */
export function topField(path: string): string {
  return path.split(/[/.]/).filter(Boolean)[0] ?? '';
}
