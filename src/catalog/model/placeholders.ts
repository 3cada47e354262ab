/**
 * `$text` / `$json` / `$yaml` placeholders: a walker that replaces them with what their target holds.
 * The reading itself (files, URLs, git, host allowlist, size limits) is the caller's `PlaceholderReader`.
 * Source: Backstage `plugins/catalog-backend/src/processors/PlaceholderProcessor.ts` (resolvers `text`, `json`,
 * `yaml`); unlike Backstage, a failure leaves the placeholder in place and is reported instead of dropping the entity
 * (docs/catalog-design.md, "Unresolvable placeholders are shown, not held back").
 */
import { errorMessage } from '../../core/errors.js';
import { isObject, PLACEHOLDER_KEYS, typeName } from './formats.js';
import { MAX_NESTING_DEPTH, parseYamlValue } from './yaml.js';

/** Which placeholder: `$text` (the target's text), `$json` (its parsed JSON), `$yaml` (its first YAML document). */
export type PlaceholderKind = 'text' | 'json' | 'yaml';

/**
 * Reads the placeholder's target (relative or absolute) and returns its text; throws with a clear message on
 * failure. The caller resolves relative targets against the file that holds the entity.
 */
export type PlaceholderReader = (target: string) => Promise<string>;

/**
 * A placeholder that could not be resolved. `path` is the dot path of the placeholder object (`spec.definition`,
 * `spec.items[2]`, `''` for the value itself), `target` the string after the key (`''` if it was not a string).
 */
export interface PlaceholderError {
  path: string;
  kind: PlaceholderKind;
  target: string;
  message: string;
}

type Walked = { value: unknown; errors: PlaceholderError[] };

/**
 * Returns a copy of `value` with every placeholder object `{ $text | $json | $yaml: target }` replaced by the text /
 * parsed JSON / parsed first YAML document of `read(target)`. Resolved values are not walked again.
 * A placeholder that fails (the reader throws, the JSON or YAML does not parse, the target is not a string, or the
 * object has other keys besides the placeholder key) stays as written and adds a `PlaceholderError`.
 * Objects with other `$` keys (`$ref`, `$schema` in JSON Schema) are ordinary data and walked into.
 * Reads of one value run concurrently; `errors` are in document order. Never throws.
 */
export async function resolvePlaceholders(
  value: unknown,
  read: PlaceholderReader,
): Promise<{ value: unknown; errors: PlaceholderError[] }> {
  return walk(value, '', read);
}

/** Walks arrays and objects; `path` is the dot path of `value`. */
async function walk(value: unknown, path: string, read: PlaceholderReader): Promise<Walked> {
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map((item: unknown, i) => walk(item, `${path}[${i}]`, read)));
    return { value: items.map((w) => w.value), errors: items.flatMap((w) => w.errors) };
  }
  if (!isObject(value)) return { value, errors: [] };
  const keys = Object.keys(value);
  const key = keys.find((k) => (PLACEHOLDER_KEYS as readonly string[]).includes(k));
  if (key !== undefined) return resolveOne(value, key, keys, path, read);
  const entries = await Promise.all(
    keys.map(async (k) => [k, await walk(value[k], path === '' ? k : `${path}.${k}`, read)] as const),
  );
  return {
    value: Object.fromEntries(entries.map(([k, w]) => [k, w.value])),
    errors: entries.flatMap(([, w]) => w.errors),
  };
}

/** Resolves the placeholder object `value` whose placeholder key is `key` (one of `keys`). */
async function resolveOne(
  value: Record<string, unknown>,
  key: string,
  keys: string[],
  path: string,
  read: PlaceholderReader,
): Promise<Walked> {
  const kind = key.slice(1) as PlaceholderKind;
  const raw = value[key];
  const target = typeof raw === 'string' ? raw : '';
  const fail = (message: string): Walked => ({ value, errors: [{ path, kind, target, message }] });
  if (keys.length !== 1) {
    const others = keys.filter((k) => k !== key).join(', ');
    return fail(`placeholder ${key} must be the only key of its object (found also: ${others})`);
  }
  if (typeof raw !== 'string' || raw === '') {
    return fail(`placeholder ${key} needs a non-empty string target (a path or URL), got ${typeName(raw)}`);
  }
  let text: string;
  try {
    text = await read(raw);
  } catch (err) {
    return fail(`${key}: could not read "${raw}": ${errorMessage(err)}`);
  }
  try {
    return { value: parseAs(kind, text), errors: [] };
  } catch (err) {
    return fail(`${key}: "${raw}" ${errorMessage(err)}`);
  }
}

/**
 * The placeholder's value from the target's text; throws with the reason when it does not parse, or when parsed JSON
 * nests deeper than `MAX_NESTING_DEPTH` (`JSON.parse` takes any depth, but later `JSON.stringify` would overflow).
 */
function parseAs(kind: PlaceholderKind, text: string): unknown {
  if (kind === 'text') return text;
  if (kind === 'yaml') {
    const parsed = parseYamlValue(text);
    if ('error' in parsed) {
      throw new Error(`is not valid YAML: ${parsed.error.message} (line ${parsed.error.line}, column ${parsed.error.col})`);
    }
    return parsed.value;
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`is not valid JSON: ${errorMessage(err)}`);
  }
  if (deeperThan(value, MAX_NESTING_DEPTH)) throw new Error(`holds JSON nested more than ${MAX_NESTING_DEPTH} levels deep`);
  return value;
}

/** True when `value` nests objects/arrays more than `limit` levels deep; iterative, stops at the first too-deep one. */
function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, depth] = top;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
